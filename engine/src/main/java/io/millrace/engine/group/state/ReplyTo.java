package io.millrace.engine.group.state;

/**
 * Where a parked request's response goes. JoinGroup and SyncGroup responses often wait for other
 * members: the state machine keeps the {@code ReplyTo} given with the request and, when the
 * response is ready (in this call or a later one), returns it as a {@link Reply} in the
 * {@link CoordinatorResult}. The state machine never calls it; the IO layer delivers replies
 * after the result's records are written.
 */
@FunctionalInterface
public interface ReplyTo<T> {

    /** Sends the response. Called once. */
    void complete(T response);
}
