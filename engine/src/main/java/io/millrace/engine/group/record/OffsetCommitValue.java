package io.millrace.engine.group.record;

import java.util.Objects;

/**
 * A committed offset as stored in {@code __consumer_offsets}.
 *
 * @param offset the next offset the group will consume
 * @param leaderEpoch the leader epoch of the last consumed record, or -1 when unknown
 * @param metadata the client's metadata string, never null (empty when none)
 * @param commitTimestampMs when the coordinator accepted the commit
 * @param expireTimestampMs when the offset expires, or -1 to follow {@code offsets.retention.minutes}
 *     (only OffsetCommit v2-v4 carried an explicit retention)
 */
public record OffsetCommitValue(long offset, int leaderEpoch, String metadata, long commitTimestampMs,
                                long expireTimestampMs) {

    public static final int NO_LEADER_EPOCH = -1;
    public static final long NO_EXPIRE_TIMESTAMP = -1L;

    public OffsetCommitValue {
        Objects.requireNonNull(metadata, "metadata");
    }

    public boolean hasExpireTimestamp() {
        return expireTimestampMs != NO_EXPIRE_TIMESTAMP;
    }
}
