package io.millrace.engine.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordLayout#walk} against kafka-clients' own record decoder: on valid batches it sees
 * the same offsets, timestamps and keys; on batches with random bytes changed in their records
 * (or a wrong record count) it rejects exactly what the decoder rejects.
 */
class RecordLayoutTest {

    /** What a walk saw of one record. */
    record Seen(int offsetDelta, long timestamp, boolean hasKey) {}

    private static List<Seen> walk(ByteBuffer batch) {
        List<Seen> seen = new ArrayList<>();
        int count = batch.getInt(batch.position() + DefaultRecordBatch.RECORDS_COUNT_OFFSET);
        long baseTimestamp = batch.getLong(batch.position() + 27);
        RecordLayout.walk(batch, batch.position(), batch.remaining(), count, baseTimestamp,
            (index, offsetDelta, timestamp, hasKey) -> seen.add(new Seen(offsetDelta, timestamp, hasKey)));
        return seen;
    }

    /** kafka-clients' view: the full decoder, which also checks that nothing follows the last record. */
    private static List<Seen> decode(ByteBuffer batch) {
        RecordBatch parsed = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next();
        List<Seen> seen = new ArrayList<>();
        for (Record r : parsed) {
            seen.add(new Seen((int) (r.offset() - parsed.baseOffset()), r.timestamp(), r.hasKey()));
        }
        return seen;
    }

    private static ByteBuffer randomBatch(Random random) {
        long base = 1_700_000_000_000L + random.nextInt(1_000_000);
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(64 * 1024), Compression.NONE,
            TimestampType.CREATE_TIME, 0L);
        int count = 1 + random.nextInt(30);
        for (int i = 0; i < count; i++) {
            long ts = random.nextInt(10) == 0 ? RecordBatch.NO_TIMESTAMP : base + random.nextInt(20_000) - 10_000;
            byte[] key = random.nextInt(4) == 0 ? null : randomBytes(random, random.nextInt(20));
            byte[] value = random.nextInt(6) == 0 ? null : randomBytes(random, random.nextInt(200));
            Header[] headers = new Header[random.nextInt(3)];
            for (int h = 0; h < headers.length; h++) {
                headers[h] = new RecordHeader("h" + random.nextInt(100),
                    random.nextBoolean() ? null : randomBytes(random, random.nextInt(10)));
            }
            builder.append(ts, key, value, headers);
        }
        return builder.build().buffer();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void validBatchesReadTheSameAsKafkasDecoder() {
        long seed = System.nanoTime();
        System.out.println("RecordLayoutTest seed: " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            ByteBuffer batch = randomBatch(random);
            assertThat(walk(batch)).as("seed %d", seed).isEqualTo(decode(batch)).isNotEmpty();
            ByteBuffer direct = ByteBuffer.allocateDirect(batch.remaining() + 3).position(3);
            direct.put(batch.duplicate()).position(3);
            assertThat(walk(direct)).as("direct buffer, seed %d", seed).isEqualTo(decode(batch));
        }
    }

    @Test
    void damagedRecordsAreRejectedExactlyWhenKafkasDecoderRejectsThem() {
        long seed = System.nanoTime();
        System.out.println("RecordLayoutTest seed: " + seed);
        Random random = new Random(seed);
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            ByteBuffer batch = randomBatch(random);
            damage(batch, random);
            Object ours = outcome(() -> walk(batch));
            Object kafkas = outcome(() -> decode(batch));
            assertThat(ours).as("seed %d, case %d", seed, i).isEqualTo(kafkas);
            if (ours.equals("rejected")) {
                rejected++;
            }
        }
        System.out.println("RecordLayoutTest rejected " + rejected + " of 3000 damaged batches");
        assertThat(rejected).as("seed %d: the damage reaches the structure often enough", seed).isGreaterThan(300);
    }

    /**
     * Changes one to three bytes after the batch header, or the declared record count (never to
     * 0: the decoder skips an empty batch's bytes unread, where the validator has already
     * rejected a count below 1).
     */
    private static void damage(ByteBuffer batch, Random random) {
        if (random.nextInt(8) == 0) {
            int at = batch.position() + DefaultRecordBatch.RECORDS_COUNT_OFFSET;
            int count = batch.getInt(at) + random.nextInt(5) - 2;
            batch.putInt(at, count == 0 ? -1 : count);
            return;
        }
        int records = batch.remaining() - DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = batch.position() + DefaultRecordBatch.RECORD_BATCH_OVERHEAD + random.nextInt(records);
            batch.put(at, (byte) random.nextInt(256));
        }
    }

    private static Object outcome(java.util.function.Supplier<List<Seen>> reader) {
        try {
            return reader.get();
        } catch (InvalidRecordException e) {
            return "rejected";
        }
    }

    @Test
    void varintsReadAsKafkasByteUtilsReadsThem() {
        long seed = System.nanoTime();
        System.out.println("RecordLayoutTest seed: " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int j = 0; j < bytes.length; j++) {
                // mostly continuation bytes, so long and overlong encodings come up often
                bytes[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 128 + random.nextInt(128));
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            assertThat(varint(() -> new RecordLayout.Cursor(buffer, 0, bytes.length).readVarint(0)))
                .as("seed %d, %s", seed, java.util.Arrays.toString(bytes))
                .isEqualTo(varint(() -> (long) org.apache.kafka.common.utils.internals.ByteUtils
                    .readVarint(buffer.duplicate())));
            assertThat(varint(() -> new RecordLayout.Cursor(buffer, 0, bytes.length).readVarlong(0)))
                .as("seed %d, %s", seed, java.util.Arrays.toString(bytes))
                .isEqualTo(varint(() -> org.apache.kafka.common.utils.internals.ByteUtils
                    .readVarlong(buffer.duplicate())));
        }
    }

    /** A value, or "malformed" for anything either reader throws (too long, or past the end). */
    private static Object varint(java.util.function.LongSupplier reader) {
        try {
            return reader.getAsLong();
        } catch (RuntimeException e) {
            return "malformed";
        }
    }

    @Test
    void aRecordLengthPastTheBatchNamesTheRecord() {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
            new org.apache.kafka.common.record.internal.SimpleRecord(1L, "k".getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer batch = records.buffer();
        batch.put(DefaultRecordBatch.RECORD_BATCH_OVERHEAD, (byte) 0x7e); // length varint 63: past the end
        assertThatThrownBy(() -> walk(batch)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("record 0");
    }

    @Test
    void bytesAfterTheDeclaredRecordsAreRejected() {
        ByteBuffer valid = randomBatch(new Random(7));
        ByteBuffer longer = ByteBuffer.allocate(valid.remaining() + 3);
        longer.put(valid.duplicate()).put(new byte[] {0, 0, 0}).flip();
        assertThatThrownBy(() -> walk(longer)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("3 bytes remain");
    }
}
