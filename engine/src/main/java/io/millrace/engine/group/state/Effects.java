package io.millrace.engine.group.state;

import io.millrace.engine.group.record.GroupRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/** Collects the records and replies of one call into the state machine. Not thread-safe. */
final class Effects {

    private final List<GroupRecord> records = new ArrayList<>();
    private final List<Reply<?>> replies = new ArrayList<>();

    void append(GroupRecord record) {
        records.add(record);
    }

    <T> void reply(ReplyTo<T> to, T response, Function<Errors, T> onWriteFailure) {
        replies.add(new Reply<>(to, response, onWriteFailure));
    }

    void replyJoin(ReplyTo<JoinGroupResponseData> to, JoinGroupResponseData response) {
        String memberId = response.memberId();
        reply(to, response, error -> Responses.joinError(memberId, error));
    }

    void replySync(ReplyTo<SyncGroupResponseData> to, SyncGroupResponseData response) {
        reply(to, response, Responses::syncError);
    }

    List<GroupRecord> records() {
        return records;
    }

    List<Reply<?>> replies() {
        return replies;
    }
}
