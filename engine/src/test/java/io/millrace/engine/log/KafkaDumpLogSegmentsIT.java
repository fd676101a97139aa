package io.millrace.engine.log;

import static io.millrace.engine.log.TestLogs.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte compatibility with Apache Kafka: Kafka's own {@code DumpLogSegments} (kafka-tools, run in
 * its own JVM from {@code target/kafka-tools-lib}, which {@code mvn verify} fills) reads the
 * segments, indexes and producer snapshots our log writes and finds every batch valid and every
 * index entry where it points.
 */
class KafkaDumpLogSegmentsIT {
    private static final Path TOOLS_LIB = Path.of(System.getProperty("millrace.kafka.tools.lib",
        "target/kafka-tools-lib"));
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;
    ManualTime time = new ManualTime();
    QueuedScheduler scheduler = new QueuedScheduler();
    int compactedRecords;

    private PartitionLog open(String topic, Map<String, Object> overrides) throws IOException {
        TopicPartition tp = new TopicPartition(topic, 0);
        LogConfig config = LogConfig.fromMap(overrides);
        return PartitionLog.open(tp, dir.resolve(PartitionLog.dirName(tp)), config, time, scheduler, 0L, 0L, false,
            86_400_000L);
    }

    @Test
    void kafkasDumpToolFindsEveryBatchValidAndEveryIndexEntryRight() throws Exception {
        Path mixed = writeMixedLog();
        Path stamped = writeRecompressedLogAppendTimeLog();
        Path compacted = writeCompactedLog();
        List<Path> files = new ArrayList<>();
        for (Path logDir : List.of(mixed, stamped, compacted)) {
            try (Stream<Path> list = Files.list(logDir)) {
                list.filter(p -> p.toString().matches(".*\\.(log|index|timeindex|snapshot)$")).sorted()
                    .forEach(files::add);
            }
        }
        Dump dump = new Dump(dumpLogSegments(files));

        assertThat(dump.problems()).as("problems Kafka's tool reports:%n%s", dump.text).isEmpty();
        assertThat(dump.batches()).as("batches").hasSizeGreaterThan(60)
            .allSatisfy(line -> assertThat(line).endsWith("isvalid: true"));
        assertThat(dump.recordOffsets(mixed)).as("every record of the mixed log, in order")
            .isEqualTo(LongStream.range(0, 276).boxed().toList());
        assertThat(dump.recordOffsets(stamped)).isEqualTo(LongStream.range(0, 50).boxed().toList());
        assertThat(dump.recordOffsets(compacted)).hasSize(compactedRecords).isSorted();
        for (String codec : List.of("none", "gzip", "lz4", "zstd", "snappy")) {
            assertThat(dump.batchesOf(mixed)).as(codec).anyMatch(b -> b.contains("compresscodec: " + codec + " "));
        }
        assertThat(dump.batchesOf(stamped)).hasSize(10)
            .allMatch(b -> b.contains("compresscodec: zstd ") && b.contains(" LogAppendTime: "));
        assertThat(dump.indexEntries()).as("offset index entries checked").isGreaterThan(20);
        assertThat(dump.timeIndexEntries()).as("time index entries checked").isGreaterThan(20);
        assertThat(dump.section(mixed.resolve("00000000000000000276.snapshot")))
            .anyMatch(l -> l.startsWith("producerId: 1000 producerEpoch: 0 ") && l.contains(" firstSequence: 15 "
                + "lastSequence: 17 lastOffset: 272 offsetDelta: 2 "))
            .anyMatch(l -> l.startsWith("producerId: 2000 producerEpoch: 3 ") && l.contains(" firstSequence: 15 "
                + "lastSequence: 17 lastOffset: 275 offsetDelta: 2 "));
    }

    /** The control: the same checks do see damage, so their silence above means something. */
    @Test
    void theChecksCatchACorruptBatchAndAWrongIndexEntry() throws Exception {
        PartitionLog log = open("damaged", Map.of(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 100));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, records("d" + i, 4)), 0);
        }
        log.close();
        Path segment = log.dir().resolve("00000000000000000000.log");
        Path index = log.dir().resolve("00000000000000000000.index");
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 5] ^= 0x10;
        Files.write(segment, bytes);
        byte[] entries = Files.readAllBytes(index);
        java.nio.ByteBuffer.wrap(entries).putInt(4, 0); // the first entry's position: the first batch
        Files.write(index, entries);

        Dump dump = new Dump(dumpLogSegments(List.of(segment, index)));

        assertThat(dump.batches()).anyMatch(l -> l.endsWith("isvalid: false"));
        assertThat(dump.problems()).anyMatch(l -> l.startsWith("Mismatches in"));
    }

    /** DumpLogSegments' output, split by the file each part is about. */
    private static final class Dump {
        private static final Pattern NON_CONSECUTIVE = Pattern.compile("\\s+(-?\\d+) is followed by (\\d+)");
        final String text;
        final Map<String, List<String>> sections = new LinkedHashMap<>();
        /** Lines after the per-file dumps: Kafka's summary of what it found wrong. */
        final List<String> summary = new ArrayList<>();

        Dump(String text) {
            this.text = text;
            List<String> current = summary;
            for (String line : text.split("\\R")) {
                if (line.startsWith("Dumping ")) {
                    current = new ArrayList<>();
                    sections.put(line.substring("Dumping ".length()), current);
                } else if (line.startsWith("Non-consecutive offsets in ") || line.startsWith("Mismatches in")
                    || line.startsWith("Found ") || line.startsWith("The following indexed offsets")) {
                    current = summary;
                    current.add(line);
                } else if (!line.startsWith("SLF4J:")) {
                    current.add(line);
                }
            }
        }

        List<String> section(Path file) {
            return sections.getOrDefault(file.toString(), List.of());
        }

        /**
         * Everything the tool reports as wrong. Its non-consecutive offset check starts every file
         * at -1, so "-1 is followed by the segment's base offset" is how any segment not starting
         * at 0 reads, in Kafka's own logs too; compacted logs have gaps by design.
         */
        List<String> problems() {
            List<String> out = new ArrayList<>();
            String file = null;
            for (String line : summary) {
                if (line.startsWith("Non-consecutive offsets in ")) {
                    file = line.substring("Non-consecutive offsets in ".length());
                    continue;
                }
                Matcher m = NON_CONSECUTIVE.matcher(line);
                if (file == null || !m.matches()) {
                    file = null;
                    out.add(line);
                    continue;
                }
                long base = Long.parseLong(Path.of(file).getFileName().toString().substring(0, 20));
                boolean segmentStart = m.group(1).equals("-1") && Long.parseLong(m.group(2)) == base;
                if (!segmentStart && !file.contains("/compacted-0/")) {
                    out.add(file + ": " + line.trim());
                }
            }
            text.lines().filter(l -> l.contains("Exception") || l.contains("Ignoring unknown file")
                || l.contains("invalid bytes") || l.contains("is corrupt")).forEach(out::add);
            return out;
        }

        List<String> batches() {
            return sections.values().stream().flatMap(List::stream).filter(l -> l.startsWith("baseOffset: ")).toList();
        }

        List<String> batchesOf(Path logDir) {
            return linesOf(logDir, ".log").filter(l -> l.startsWith("baseOffset: ")).toList();
        }

        List<Long> recordOffsets(Path logDir) {
            return linesOf(logDir, ".log").filter(l -> l.startsWith("| offset: "))
                .map(l -> Long.parseLong(l.split(" ")[2])).toList();
        }

        long indexEntries() {
            return entries(".index", "offset: ");
        }

        long timeIndexEntries() {
            return entries(".timeindex", "timestamp: ");
        }

        private long entries(String suffix, String prefix) {
            return sections.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
                .flatMap(e -> e.getValue().stream()).filter(l -> l.startsWith(prefix)).count();
        }

        private Stream<String> linesOf(Path logDir, String suffix) {
            return sections.entrySet().stream()
                .filter(e -> e.getKey().startsWith(logDir.toString()) && e.getKey().endsWith(suffix))
                .flatMap(e -> e.getValue().stream());
        }
    }

    /**
     * Several segments of uncompressed and compressed batches (every codec), null keys and
     * values, headers, two idempotent producers; small index intervals so both indexes fill.
     */
    private Path writeMixedLog() throws IOException {
        PartitionLog log = open("mixed", Map.of(LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 2500,
            TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 300));
        List<Compression> codecs = List.of(Compression.NONE, Compression.gzip().build(), Compression.lz4().build(),
            Compression.zstd().build(), Compression.snappy().build());
        int sequence = 0;
        for (int round = 0; round < 6; round++) {
            for (Compression codec : codecs) {
                time.advance(10);
                log.appendAsLeader(MemoryRecords.withRecords(codec, records("r" + round, 8)), 0);
            }
            log.appendAsLeader(MemoryRecords.withIdempotentRecords(Compression.NONE, 1000L, (short) 0, sequence,
                records("p1-" + round, 3)), 0);
            log.appendAsLeader(MemoryRecords.withIdempotentRecords(Compression.lz4().build(), 2000L, (short) 3,
                sequence, records("p2-" + round, 3)), 1);
            sequence += 3;
        }
        assertThat(log.numberOfSegments()).as("rolled segments").isGreaterThan(3);
        log.close();
        return log.dir();
    }

    /** LogAppendTime and compression.type=zstd: batches rebuilt by the broker. */
    private Path writeRecompressedLogAppendTimeLog() throws IOException {
        PartitionLog log = open("stamped", Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
            TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd", TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 100));
        for (int i = 0; i < 10; i++) {
            time.advance(5);
            log.appendAsLeader(MemoryRecords.withRecords(i % 2 == 0 ? Compression.NONE : Compression.gzip().build(),
                records("s" + i, 5)), 2);
        }
        log.close();
        return log.dir();
    }

    /** A compacted log after a cleaner pass: the cleaner's output segments. */
    private Path writeCompactedLog() throws IOException {
        PartitionLog log = open("compacted", Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact",
            LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, 2000, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, 0.01,
            TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 200));
        for (int i = 0; i < 120; i++) {
            time.advance(1);
            byte[] value = i % 9 == 0 ? null : bytes("value-" + i);
            log.appendAsLeader(TestLogs.records(new SimpleRecord(time.milliseconds(), bytes("key" + (i % 10)), value)),
                0);
        }
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
        int before = TestLogs.readAll(log, 0).size();
        LogCleaner cleaner = new LogCleaner(LogManagerConfig.fromMap(Map.of()), time, () -> List.of(log),
            new CleanerOffsetCheckpoints());
        assertThat(cleaner.cleanAllOnce()).isEqualTo(1);
        scheduler.runAll();
        compactedRecords = TestLogs.readAll(log, 0).size();
        assertThat(compactedRecords).isLessThan(before);
        log.close();
        return log.dir();
    }

    private SimpleRecord[] records(String prefix, int count) {
        SimpleRecord[] out = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] key = i % 4 == 3 ? null : bytes(prefix + "-k" + i);
            byte[] value = i % 5 == 4 ? null : bytes(prefix + "-value-" + i + "-" + "x".repeat(i * 7));
            Header[] headers = i % 3 == 0 ? new Header[] {new RecordHeader("h" + i, bytes("hv" + i))} : new Header[0];
            out[i] = new SimpleRecord(time.milliseconds() - count + i, key, value, headers);
        }
        return out;
    }

    /** Runs {@code DumpLogSegments --deep-iteration} in a JVM of its own; returns its stdout and stderr. */
    private String dumpLogSegments(List<Path> files) throws IOException, InterruptedException {
        try (Stream<Path> jars = Files.exists(TOOLS_LIB) ? Files.list(TOOLS_LIB) : Stream.empty()) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                .as("kafka-tools is copied into %s by the pre-integration-test phase: run this through mvn verify",
                    TOOLS_LIB.toAbsolutePath())
                .anyMatch(name -> name.startsWith("kafka-tools-") && name.endsWith(".jar"));
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx256m", "-cp", TOOLS_LIB.toAbsolutePath() + "/*",
            "org.apache.kafka.tools.DumpLogSegments", "--deep-iteration",
            "--files", String.join(",", files.stream().map(Path::toString).toList()));
        Path output = dir.resolve("dump-log-segments.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        try {
            assertThat(process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .as("DumpLogSegments exits within %d s", TOOL_TIMEOUT_SECONDS).isTrue();
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("DumpLogSegments exit code; output:%n%s", text).isZero();
            return text;
        } finally {
            process.destroyForcibly();
        }
    }
}
