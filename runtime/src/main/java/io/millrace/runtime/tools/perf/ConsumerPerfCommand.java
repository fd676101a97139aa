package io.millrace.runtime.tools.perf;

import io.millrace.runtime.tools.BrokerOptions;
import io.millrace.runtime.tools.BrokerReachability;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.TerminalProgress;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.runtime.tools.TopicPattern;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace perf consumer}: Kafka's {@code kafka-consumer-perf-test.sh}. Consumes
 * {@code --num-records} records in a group and prints Kafka's CSV summary (MB and records per
 * second, overall and excluding the time spent joining the group); with
 * {@code --show-detailed-stats} a line per reporting interval; on a terminal a live status line.
 */
@Command(name = "consumer", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class, sortOptions = false,
    abbreviateSynopsis = true,
    description = "Measure consumer throughput (the flags of Kafka's kafka-consumer-perf-test.sh).")
public final class ConsumerPerfCommand extends ToolCommand {

  private static final String HEADER_TAIL = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";

  @Mixin BrokerOptions broker;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic to consume.") String topic;

  @Option(names = "--include", paramLabel = "REGEX", description = "A regular expression of the topics to consume.")
  String include;

  @Option(names = "--group", paramLabel = "GROUP", description = "The consumer group (default: perf-consumer-NNNNN).")
  String group;

  @Option(names = {"--num-records", "--messages"}, required = true, paramLabel = "N", description = "How many records to consume.")
  long numRecords;

  @Option(names = "--fetch-size", paramLabel = "BYTES", description = "max.partition.fetch.bytes (default: ${DEFAULT-VALUE}).")
  int fetchSize = 1024 * 1024;

  @Option(names = "--socket-buffer-size", paramLabel = "BYTES", description = "receive.buffer.bytes (default: ${DEFAULT-VALUE}).")
  int socketBufferSize = 2 * 1024 * 1024;

  @Option(names = "--from-latest", description = "Without committed offsets, start at the end rather than the beginning.")
  boolean fromLatest;

  @Option(names = "--timeout", paramLabel = "MS", description = "Give up when no record arrives for this long (default: ${DEFAULT-VALUE}).")
  long timeoutMs = 10_000;

  @Option(names = "--reporting-interval", paramLabel = "MS", description = "Interval of --show-detailed-stats (default: ${DEFAULT-VALUE}).")
  long reportingIntervalMs = 5000;

  @Option(names = "--show-detailed-stats", description = "A line per reporting interval.") boolean showDetailedStats;

  @Option(names = "--hide-header", description = "Do not print the header line.") boolean hideHeader;

  @Option(names = "--date-format", paramLabel = "PATTERN", description = "SimpleDateFormat of the time columns (default: ${DEFAULT-VALUE}).")
  String dateFormat = "yyyy-MM-dd HH:mm:ss:SSS";

  @Option(names = {"--command-property"}, arity = "1..*", paramLabel = "KEY=VALUE", description = "Consumer configs.")
  List<String> consumerProps = new ArrayList<>();

  @Option(names = {"--consumer.config", "--command-config"}, paramLabel = "FILE", description = "Consumer config properties file.")
  Path consumerConfig;

  @Option(names = "--print-metrics", description = "Print the consumer's metrics at the end.") boolean printMetrics;

  @Override
  protected String bootstrapServersForMessages() {
    return broker.bootstrapServers();
  }

  @Override
  protected int run() throws Exception {
    if ((topic == null) == (include == null)) {
      throw usageError("Exactly one of --topic or --include is required");
    }
    if (numRecords < 0 || reportingIntervalMs <= 0 || timeoutMs < 0) {
      throw usageError("--num-records and --timeout must not be negative, --reporting-interval must be positive");
    }
    SimpleDateFormat dates;
    try {
      dates = new SimpleDateFormat(dateFormat, Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw usageError("invalid --date-format '" + dateFormat + "': " + e.getMessage());
    }
    String servers = broker.bootstrapServers(err());
    Properties props = consumerProperties(servers);
    TopicPattern pattern = include == null ? null : TopicPattern.compile(include);
    BrokerReachability.check(servers, 5_000);
    if (!hideHeader) {
      out().println((showDetailedStats ? "time, threadId" : "start.time, end.time")
          + ", data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec" + HEADER_TAIL);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
         TerminalProgress progress = new TerminalProgress(err(), onTerminal())) {
      Run run = new Run(dates, progress);
      if (pattern == null) {
        consumer.subscribe(List.of(topic), run);
      } else {
        consumer.subscribe(pattern.pattern(), run);
      }
      run.consume(consumer);
      progress.clear();
      if (run.records < numRecords) {
        out().printf(Locale.ROOT, "WARNING: Exiting before consuming the expected number of messages: timeout (%d ms) "
            + "exceeded. You can use the --timeout option to increase the timeout.%n", timeoutMs);
      }
      if (!showDetailedStats) {
        run.printTotal();
      }
      if (printMetrics) {
        Metrics.print(consumer.metrics(), out());
      }
      return run.records < numRecords ? 1 : 0;
    } catch (KafkaException e) {
      throw new ToolException(KafkaFailures.describe(e, servers), e);
    }
  }

  private Properties consumerProperties(String servers) {
    Properties p = new Properties();
    p.putAll(ClientProperties.load(consumerConfig));
    try {
      p.putAll(ClientProperties.parse(consumerProps, "--command-property"));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group != null ? group
        : p.getProperty(ConsumerConfig.GROUP_ID_CONFIG, "perf-consumer-" + ThreadLocalRandom.current().nextInt(100_000)));
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(socketBufferSize));
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetchSize));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromLatest ? "latest" : "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putIfAbsent(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "perf-consumer-client");
    return p;
  }

  /** One measurement; the rebalance listener books the time spent joining the group. */
  private final class Run implements ConsumerRebalanceListener {
    private final SimpleDateFormat dates;
    private final TerminalProgress progress;
    private final long startMs = System.currentTimeMillis();
    private final List<TopicPartition> assigned = new ArrayList<>();
    private long joinStartMs = startMs;
    private long joinTimeMs;
    private long joinTimeInWindowMs;
    private long endMs;
    long records;
    long bytes;

    Run(SimpleDateFormat dates, TerminalProgress progress) {
      this.dates = dates;
      this.progress = progress;
    }

    void consume(KafkaConsumer<byte[], byte[]> consumer) {
      long now = System.currentTimeMillis();
      long lastReportMs = now;
      long lastConsumedMs = now;
      long lastRecords = 0;
      long lastBytes = 0;
      while (records < numRecords && now - lastConsumedMs <= timeoutMs) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        now = System.currentTimeMillis();
        if (!batch.isEmpty()) {
          lastConsumedMs = now;
        }
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          records++;
          bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        }
        if (now - lastReportMs >= reportingIntervalMs) {
          if (showDetailedStats) {
            progress.clear();
            printWindow(lastRecords, lastBytes, lastReportMs, now);
          }
          joinTimeInWindowMs = 0;
          lastReportMs = now;
          lastRecords = records;
          lastBytes = bytes;
        }
        progress.update(String.format(Locale.ROOT, "%,d / %,d records (%.0f%%), %.2f MB", records, numRecords,
            numRecords == 0 ? 100.0 : 100.0 * records / numRecords, bytes / (1024.0 * 1024.0)));
      }
      endMs = System.currentTimeMillis();
    }

    private void printWindow(long lastRecords, long lastBytes, long fromMs, long toMs) {
      double elapsedMs = Math.max(1, toMs - fromMs);
      double mb = bytes / (1024.0 * 1024.0);
      double windowMb = (bytes - lastBytes) / (1024.0 * 1024.0);
      long fetchMs = toMs - fromMs - joinTimeInWindowMs;
      out().printf(Locale.ROOT, "%s, %d, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", dates.format(toMs), 0, mb,
          1000.0 * windowMb / elapsedMs, records, 1000.0 * (records - lastRecords) / elapsedMs, joinTimeInWindowMs,
          fetchMs, fetchMs <= 0 ? 0.0 : 1000.0 * windowMb / fetchMs,
          fetchMs <= 0 ? 0.0 : 1000.0 * (records - lastRecords) / fetchMs);
    }

    void printTotal() {
      double seconds = Math.max(1, endMs - startMs) / 1000.0;
      double mb = bytes / (1024.0 * 1024.0);
      long fetchMs = endMs - startMs - joinTimeMs;
      out().printf(Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", dates.format(startMs),
          dates.format(endMs), mb, mb / seconds, records, records / seconds, joinTimeMs, fetchMs,
          fetchMs <= 0 ? 0.0 : mb / (fetchMs / 1000.0), fetchMs <= 0 ? 0.0 : records / (fetchMs / 1000.0));
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      assigned.removeAll(partitions);
      if (assigned.isEmpty()) {
        joinStartMs = System.currentTimeMillis();
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (assigned.isEmpty()) {
        long elapsed = System.currentTimeMillis() - joinStartMs;
        joinTimeMs += elapsed;
        joinTimeInWindowMs += elapsed;
      }
      assigned.addAll(partitions);
    }
  }
}
