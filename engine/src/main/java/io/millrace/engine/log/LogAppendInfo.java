package io.millrace.engine.log;

/**
 * What an append did.
 *
 * @param firstOffset offset of the first record appended (or, for a duplicate, of the original)
 * @param lastOffset offset of the last record appended
 * @param maxTimestamp the largest record timestamp, or the append time under LogAppendTime
 * @param offsetOfMaxTimestamp the offset of the record with {@code maxTimestamp}
 * @param logAppendTime the time the broker stamped under LogAppendTime, -1 under CreateTime
 * @param logStartOffset the log start offset after the append
 * @param numRecords records appended
 * @param validBytes bytes appended
 * @param duplicate an idempotent retry: nothing was appended and the offsets are the original ones
 *
 * <p>Immutable and thread-safe.
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                            long logAppendTime, long logStartOffset, int numRecords, int validBytes,
                            boolean duplicate) {
}
