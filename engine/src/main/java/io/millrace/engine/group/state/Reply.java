package io.millrace.engine.group.state;

import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * A response ready for a parked request, and the response to send instead if the records of the
 * same result cannot be written.
 */
public record Reply<T>(ReplyTo<T> to, T response, Function<Errors, T> onWriteFailure) {

    public Reply {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(onWriteFailure, "onWriteFailure");
    }

    /** Sends the response. */
    public void deliver() {
        to.complete(response);
    }

    /** Sends the error response for a failed write instead. */
    public void fail(Errors error) {
        to.complete(onWriteFailure.apply(error));
    }
}
