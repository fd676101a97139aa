package io.millrace.engine.group.state;

import io.millrace.engine.group.record.GroupRecord;
import java.util.List;

/**
 * What one call into the state machine produced: the response to the call itself (null for
 * JoinGroup and SyncGroup, whose responses come as replies), the records to append to the
 * offsets partition, and the replies now due to parked requests (this call's own included).
 *
 * <p>The IO layer appends {@code records} (if any) and, once they are written, sends
 * {@code response} and delivers {@code replies}; if the write fails it sends error responses
 * instead and reloads the shard from the log, which undoes the state change.
 */
public record CoordinatorResult<T>(T response, List<GroupRecord> records, List<Reply<?>> replies) {

    public CoordinatorResult {
        records = List.copyOf(records);
        replies = List.copyOf(replies);
    }

    static <T> CoordinatorResult<T> of(T response) {
        return new CoordinatorResult<>(response, List.of(), List.of());
    }

    static <T> CoordinatorResult<T> of(T response, Effects effects) {
        return new CoordinatorResult<>(response, effects.records(), effects.replies());
    }
}
