package io.millrace.engine.group;

import org.apache.kafka.common.protocol.Errors;

/** Kafka's mapping of a failed write to {@code __consumer_offsets} to what group clients understand. */
final class WriteErrors {

    private WriteErrors() {
    }

    static Errors map(Throwable failure) {
        Errors error = Errors.forException(failure instanceof java.util.concurrent.CompletionException
                && failure.getCause() != null ? failure.getCause() : failure);
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
            default -> error == Errors.NONE ? Errors.UNKNOWN_SERVER_ERROR : error;
        };
    }
}
