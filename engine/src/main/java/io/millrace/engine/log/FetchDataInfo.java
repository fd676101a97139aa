package io.millrace.engine.log;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * The result of {@link PartitionLog#read}.
 *
 * @param fetchOffset the offset asked for
 * @param records whole batches: a zero-copy slice of a segment file (a {@code FileRecords}, send it
 *     with {@code writeTo}/{@code transferTo}) or {@link MemoryRecords#EMPTY}
 * @param firstEntryIncomplete the first batch is larger than the byte limit and
 *     {@code minOneMessage} was false, so nothing was returned
 *
 * <p>Immutable; the records may be sent from any thread. A slice of a segment that retention or
 * compaction removes meanwhile stays readable until {@code file.delete.delay.ms} has passed.
 */
public record FetchDataInfo(long fetchOffset, Records records, boolean firstEntryIncomplete) {

    static FetchDataInfo empty(long fetchOffset) {
        return new FetchDataInfo(fetchOffset, MemoryRecords.EMPTY, false);
    }
}
