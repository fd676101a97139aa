package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.batch;
import static io.millrace.engine.log.TestLogs.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.internals.Crc32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of malformed append is rejected with its Kafka error, and the log stays byte-for-byte unchanged. */
class MalformedBatchTest {
    private static final int LENGTH_OFFSET = 8;
    private static final int MAGIC_OFFSET = 16;
    private static final int CRC_OFFSET = 17;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LAST_OFFSET_DELTA_OFFSET = 23;
    private static final int RECORDS_COUNT_OFFSET = 57;

    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    PartitionLog log;
    Map<String, byte[]> before;

    @BeforeEach
    void openWithSomeData() throws Exception {
        log = TestLogs.open(dir, LogConfig.defaults(), time, new QueuedScheduler());
        log.appendAsLeader(batch("ok", 3, time.milliseconds()), 0);
        before = TestLogs.snapshotDir(log.dir());
    }

    @AfterEach
    void logIsUnchanged() throws Exception {
        assertThat(log.logEndOffset()).isEqualTo(3);
        Map<String, byte[]> after = TestLogs.snapshotDir(log.dir());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        assertThat(TestLogs.readAll(log, 0)).containsExactly("0:ok-0", "1:ok-1", "2:ok-2");
        log.close();
    }

    private static MemoryRecords mutate(MemoryRecords valid, Consumer<ByteBuffer> change, boolean fixCrc) {
        ByteBuffer b = ByteBuffer.allocate(valid.sizeInBytes());
        b.put(valid.buffer().duplicate());
        b.flip();
        change.accept(b);
        if (fixCrc) {
            b.putInt(CRC_OFFSET, (int) Crc32C.compute(b, ATTRIBUTES_OFFSET, b.limit() - ATTRIBUTES_OFFSET));
        }
        return MemoryRecords.readableRecords(b);
    }

    private void rejects(MemoryRecords records, Class<? extends Throwable> type, Errors error) {
        assertThatThrownBy(() -> log.appendAsLeader(records, 0))
            .isInstanceOf(type)
            .satisfies(e -> assertThat(Errors.forException(e)).isEqualTo(error));
    }

    @Test
    void unknownMagicIsCorrupt() {
        rejects(mutate(batch("x", 2, time.milliseconds()), b -> b.put(MAGIC_OFFSET, (byte) 7), false),
            CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void legacyMagicIsAnInvalidRecord() {
        MemoryRecords v1 = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
            new SimpleRecord(time.milliseconds(), bytes("k"), bytes("v")));
        rejects(v1, InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void aFlippedByteFailsTheCrc() {
        MemoryRecords valid = batch("x", 2, time.milliseconds());
        rejects(mutate(valid, b -> b.put(b.limit() - 3, (byte) (b.get(b.limit() - 3) ^ 1)), false),
            CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void aTruncatedBatchIsCorrupt() {
        MemoryRecords valid = batch("x", 2, time.milliseconds());
        for (int cut : new int[] {1, 10, valid.sizeInBytes() - 20, valid.sizeInBytes() - 1}) {
            ByteBuffer b = valid.buffer().duplicate();
            b.limit(cut);
            rejects(MemoryRecords.readableRecords(b.slice()), CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
        }
    }

    @Test
    void aBatchLengthBelowTheHeaderSizeIsCorrupt() {
        rejects(mutate(batch("x", 2, time.milliseconds()), b -> b.putInt(LENGTH_OFFSET, 10), false),
            CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void aRecordCountThatDisagreesWithTheLastOffsetDeltaIsInvalid() {
        rejects(mutate(batch("x", 3, time.milliseconds()), b -> b.putInt(RECORDS_COUNT_OFFSET, 4), true),
            InvalidRecordException.class, Errors.INVALID_RECORD);
        rejects(mutate(batch("x", 3, time.milliseconds()), b -> b.putInt(LAST_OFFSET_DELTA_OFFSET, 5), true),
            InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void aCountThatDisagreesWithTheRecordsHeldIsInvalid() {
        rejects(mutate(batch("x", 3, time.milliseconds()), b -> {
            b.putInt(RECORDS_COUNT_OFFSET, 2);
            b.putInt(LAST_OFFSET_DELTA_OFFSET, 1);
        }, true), InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void aRecordWhoseLengthOverrunsTheBatchIsInvalidEvenWithAValidCrc() {
        // The first record's length varint (right after the 61-byte header) claims 63 bytes.
        rejects(mutate(batch("x", 3, time.milliseconds()), b -> b.put(61, (byte) 0x7e), true),
            InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void bytesAfterTheDeclaredRecordsAreInvalidEvenWithAValidCrc() {
        MemoryRecords valid = batch("x", 3, time.milliseconds());
        ByteBuffer longer = ByteBuffer.allocate(valid.sizeInBytes() + 4);
        longer.put(valid.buffer().duplicate()).putInt(0).flip();
        longer.putInt(LENGTH_OFFSET, longer.getInt(LENGTH_OFFSET) + 4);
        rejects(mutate(MemoryRecords.readableRecords(longer), b -> { }, true),
            InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void aMalformedRecordInACompressedBatchIsInvalid() {
        MemoryRecords gzip = batch(Compression.gzip().build(), "x", 3, time.milliseconds());
        rejects(mutate(gzip, b -> b.putInt(RECORDS_COUNT_OFFSET, 4).putInt(LAST_OFFSET_DELTA_OFFSET, 3), true),
            InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void anUnknownCodecIsUnsupported() {
        rejects(mutate(batch("x", 2, time.milliseconds()), b -> b.putShort(ATTRIBUTES_OFFSET,
            (short) (b.getShort(ATTRIBUTES_OFFSET) | 0x5)), true),
            UnsupportedCompressionTypeException.class, Errors.UNSUPPORTED_COMPRESSION_TYPE);
    }

    @Test
    void aBatchOverMaxMessageBytesIsTooLarge() {
        log.updateConfig(LogConfig.fromMap(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, 100)));
        rejects(batch("x", 20, time.milliseconds()), RecordTooLargeException.class, Errors.MESSAGE_TOO_LARGE);
    }

    @Test
    void anAppendOverSegmentBytesIsRejected() {
        log.updateConfig(LogConfig.fromMap(Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 100)));
        rejects(batch("x", 20, time.milliseconds()), RecordBatchTooLargeException.class, Errors.RECORD_LIST_TOO_LARGE);
    }

    @Test
    void timestampsOutsideTheConfiguredBoundsAreInvalid() {
        log.updateConfig(LogConfig.fromMap(Map.of(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, 1000L)));
        rejects(batch("x", 1, time.milliseconds() + 3_600_001L), InvalidTimestampException.class,
            Errors.INVALID_TIMESTAMP);
        rejects(batch("x", 1, time.milliseconds() - 1001L), InvalidTimestampException.class, Errors.INVALID_TIMESTAMP);
        rejects(batch("x", 1, 0L), InvalidTimestampException.class, Errors.INVALID_TIMESTAMP);
    }

    @Test
    void producersMayNotSetLogAppendTime() {
        MemoryRecords appendTime = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE,
            TimestampType.LOG_APPEND_TIME, new SimpleRecord(time.milliseconds(), bytes("k"), bytes("v")));
        rejects(appendTime, InvalidTimestampException.class, Errors.INVALID_TIMESTAMP);
    }

    @Test
    void aNonZeroBaseOffsetFromAClientIsInvalid() {
        MemoryRecords shifted = MemoryRecords.withRecords(7L, Compression.NONE,
            new SimpleRecord(time.milliseconds(), bytes("k"), bytes("v")));
        rejects(shifted, InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void clientsMayNotWriteControlBatches() {
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(0L, time.milliseconds(), 0, 1L, (short) 0,
            new EndTransactionMarker(ControlRecordType.COMMIT, 0));
        rejects(marker, InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void compactedTopicsRejectRecordsWithoutKeys() {
        log.updateConfig(LogConfig.fromMap(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")));
        rejects(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(time.milliseconds(), null, bytes("v"))),
            InvalidRecordException.class, Errors.INVALID_RECORD);
    }

    @Test
    void oneBadBatchRejectsTheWholeAppend() {
        MemoryRecords good = batch("g", 2, time.milliseconds());
        MemoryRecords bad = mutate(batch("b", 2, time.milliseconds()), b -> b.put(b.limit() - 2, (byte) 1), false);
        ByteBuffer both = ByteBuffer.allocate(good.sizeInBytes() + bad.sizeInBytes());
        both.put(good.buffer().duplicate()).put(bad.buffer().duplicate()).flip();
        rejects(MemoryRecords.readableRecords(both), CorruptRecordException.class, Errors.CORRUPT_MESSAGE);
    }

    @Test
    void aCorruptReplicatedBatchIsRejectedToo() {
        MemoryRecords valid = TestLogs.replicated(3, 0, 2, time.milliseconds());
        MemoryRecords bad = mutate(valid, b -> b.put(b.limit() - 2, (byte) (b.get(b.limit() - 2) ^ 1)), false);
        assertThatThrownBy(() -> log.appendAsFollower(bad)).isInstanceOf(CorruptRecordException.class);
    }
}
