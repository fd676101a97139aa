package io.millrace.engine.group.record;

import org.apache.kafka.common.KafkaException;

/** A {@code __consumer_offsets} record whose bytes do not follow any known layout. */
public final class InvalidGroupRecordException extends KafkaException {

    public InvalidGroupRecordException(String message) {
        super(message);
    }

    public InvalidGroupRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
