package io.millrace.runtime.tools.perf;

import io.millrace.runtime.tools.BrokerReachability;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.TerminalProgress;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code millrace perf producer}: Kafka's {@code kafka-producer-perf-test.sh}. Sends
 * {@code --num-records} records as fast as the producer can (or at {@code --throughput} records a
 * second), measuring each send's latency from {@code send()} to its acknowledgement. Prints Kafka's
 * progress line every reporting interval and its closing line with the percentiles; on a terminal
 * a live status line as well.
 */
@Command(name = "producer", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class, sortOptions = false,
    abbreviateSynopsis = true,
    description = "Measure producer throughput and latency (the flags of Kafka's kafka-producer-perf-test.sh).")
public final class ProducerPerfCommand extends ToolCommand {

  @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,...]",
      description = "The broker(s) to connect to; wins over bootstrap.servers in the properties (default: localhost:9092).")
  String bootstrapServer;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to produce to.")
  String topic;

  @Option(names = "--num-records", required = true, paramLabel = "N", description = "How many records to send.")
  long numRecords;

  @Option(names = "--throughput", required = true, paramLabel = "N",
      description = "At most about N records a second; -1 for no limit.")
  long throughput;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PayloadChoice payload;

  static final class PayloadChoice {
    @Option(names = "--record-size", paramLabel = "BYTES", description = "Random values of this size.") Integer recordSize;
    @Option(names = "--payload-file", paramLabel = "FILE", description = "Values picked at random from this UTF-8 file.") Path payloadFile;
    @Option(names = "--payload-monotonic", description = "Values 0, 1, 2, ... as text.") boolean monotonic;
  }

  @Option(names = "--payload-delimiter", paramLabel = "TEXT", description = "Splits --payload-file (default: newline).")
  String payloadDelimiter = "\\n";

  @Option(names = {"--producer-props", "--command-property"}, arity = "1..*", paramLabel = "KEY=VALUE",
      description = "Producer configs, e.g. acks=1 linger.ms=5; win over the config file.")
  List<String> producerProps = new ArrayList<>();

  @Option(names = {"--producer.config", "--command-config"}, paramLabel = "FILE", description = "Producer config properties file.")
  Path producerConfig;

  @Option(names = "--print-metrics", description = "Print the producer's metrics at the end.") boolean printMetrics;

  @Option(names = "--transactional-id", paramLabel = "ID", description = "Send in transactions with this id.")
  String transactionalId;

  @Option(names = "--transaction-duration-ms", paramLabel = "MS",
      description = "Commit a transaction this often (default 3000 when transactional).")
  Long transactionDurationMs;

  @Option(names = "--warmup-records", paramLabel = "N",
      description = "Leave the first N records out of an extra steady-state summary.")
  long warmupRecords;

  @Option(names = "--reporting-interval", paramLabel = "MS", description = "Print a progress line this often (default: ${DEFAULT-VALUE}).")
  long reportingIntervalMs = 5000;

  @Option(names = "--key-distribution", paramLabel = "none|range|random", description = "Record keys (default: none).")
  String keyDistribution = "none";

  @Option(names = "--record-key-range", paramLabel = "N", description = "Keys are 0 .. N-1 (range and random).")
  Integer recordKeyRange;

  @Option(names = "--random-seed", paramLabel = "SEED", description = "Seed of the payloads and random keys (default: 0).")
  long randomSeed;

  @Override
  protected String bootstrapServersForMessages() {
    return bootstrapServer;
  }

  @Override
  protected int run() throws Exception {
    checkArguments();
    Properties props = producerProperties();
    String servers = props.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    bootstrapServer = servers;
    Random random = new Random(randomSeed);
    Payloads payloads = payloads(random);
    Keys keys = new Keys(keyDistribution, recordKeyRange == null ? 0 : recordKeyRange, random);
    BrokerReachability.check(servers, 5_000);

    AtomicLong failures = new AtomicLong();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    AtomicReference<LatencyStats> steadyRef = new AtomicReference<>();
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "perf-producer-reporter");
      t.setDaemon(true);
      return t;
    });
    TerminalProgress progress = new TerminalProgress(err(), onTerminal());
    try (KafkaProducer<byte[], byte[]> producer = newProducer(props)) {
      awaitTopic(producer, props);
      Transactions tx = Transactions.start(producer, props, transactionDurationMs);
      // The clock starts with the first send, as Kafka's tool starts it: setup is not throughput.
      LatencyStats stats = new LatencyStats(System.nanoTime());
      if (warmupRecords == 0) {
        steadyRef.set(stats);
      }
      startReporting(reporter, stats, progress);
      Throttle throttle = new Throttle(throughput, System.nanoTime());
      for (long i = 0; i < numRecords; i++) {
        byte[] value = payloads.next(i);
        byte[] key = keys.next();
        int bytes = value.length + (key == null ? 0 : key.length);
        if (i == warmupRecords && warmupRecords > 0) {
          steadyRef.set(new LatencyStats(System.nanoTime()));
        }
        LatencyStats steadyNow = steadyRef.get();
        long sendNs = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
          long latencyUs = (System.nanoTime() - sendNs) / 1000;
          if (e != null) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, KafkaFailures.describe(e, servers));
            return;
          }
          stats.record(latencyUs, bytes);
          if (steadyNow != null && steadyNow != stats) {
            steadyNow.record(latencyUs, bytes);
          }
        });
        tx.maybeCommit();
        throttle.pace(i + 1);
      }
      tx.finish();
      producer.flush();
      reporter.shutdownNow();
      reporter.awaitTermination(5, TimeUnit.SECONDS);
      progress.clear();
      long endNs = System.nanoTime();
      out().println(stats.totalLine("", endNs));
      if (steadyRef.get() != null && steadyRef.get() != stats) {
        out().println(steadyRef.get().totalLine(" steady state", endNs));
      }
      if (printMetrics) {
        Metrics.print(producer.metrics(), out());
      }
    } catch (KafkaException e) {
      throw new ToolException(KafkaFailures.describe(e, servers), e);
    } finally {
      reporter.shutdownNow();
      progress.clear();
    }
    if (failures.get() > 0) {
      err().println("Error: " + failures.get() + " of " + numRecords + " records failed; the first: " + firstFailure.get());
      return 1;
    }
    return 0;
  }

  private void startReporting(ScheduledExecutorService reporter, LatencyStats stats, TerminalProgress progress) {
    reporter.scheduleAtFixedRate(() -> {
      progress.clear();
      out().println(stats.windowLine(System.nanoTime()));
      out().flush();
    }, reportingIntervalMs, reportingIntervalMs, TimeUnit.MILLISECONDS);
    if (progress.enabled()) {
      reporter.scheduleAtFixedRate(() -> progress.update(stats.progressLine(numRecords, System.nanoTime())),
          200, 200, TimeUnit.MILLISECONDS);
    }
  }

  private void checkArguments() {
    if (numRecords < 0) {
      throw usageError("--num-records must not be negative");
    }
    if (reportingIntervalMs <= 0) {
      throw usageError("--reporting-interval must be positive");
    }
    if (payload.recordSize != null && payload.recordSize < 0) {
      throw usageError("--record-size must not be negative");
    }
    String kd = keyDistribution.toLowerCase(Locale.ROOT);
    if (!kd.equals("none") && !kd.equals("range") && !kd.equals("random")) {
      throw usageError("invalid --key-distribution '" + keyDistribution + "': use none, range or random");
    }
    if (!kd.equals("none") && (recordKeyRange == null || recordKeyRange <= 0)) {
      throw usageError("--key-distribution " + kd + " needs a positive --record-key-range");
    }
    if (transactionDurationMs != null && transactionDurationMs <= 0) {
      throw usageError("--transaction-duration-ms must be positive");
    }
    if (warmupRecords < 0 || warmupRecords >= Math.max(1, numRecords)) {
      if (warmupRecords != 0) {
        throw usageError("--warmup-records must be between 0 and --num-records");
      }
    }
  }

  private Payloads payloads(Random random) {
    if (payload.recordSize != null) {
      return Payloads.random(payload.recordSize, random);
    } else if (payload.monotonic) {
      return Payloads.monotonic();
    }
    String delimiter = payloadDelimiter.equals("\\n") ? "\n" : payloadDelimiter;
    return Payloads.fromFile(payload.payloadFile, delimiter, random);
  }

  private Properties producerProperties() {
    Properties p = new Properties();
    p.putAll(ClientProperties.load(producerConfig));
    try {
      p.putAll(ClientProperties.parse(producerProps, "--producer-props"));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    if (bootstrapServer != null) {
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
    }
    p.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "perf-producer-client");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    } else if (transactionDurationMs != null && !p.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "performance-producer-" + UUID.randomUUID());
    }
    return p;
  }

  private KafkaProducer<byte[], byte[]> newProducer(Properties props) {
    try {
      return new KafkaProducer<>(props);
    } catch (KafkaException e) {
      throw new ToolException("cannot create the producer: " + KafkaFailures.message(KafkaFailures.unwrap(e)), e);
    }
  }

  private void awaitTopic(KafkaProducer<byte[], byte[]> producer, Properties props) {
    try {
      producer.partitionsFor(topic);
    } catch (TimeoutException e) {
      throw new ToolException("topic '" + topic + "' is not known to the broker after "
          + props.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000") + " ms (max.block.ms): create it with "
          + "millrace topics --create --topic " + topic);
    }
  }

  /** Record keys: none, 0..range-1 in turn, or at random in 0..range-1; decimal text. */
  private static final class Keys {
    private final String distribution;
    private final int range;
    private final Random random;
    private long next;

    Keys(String distribution, int range, Random random) {
      this.distribution = distribution.toLowerCase(Locale.ROOT);
      this.range = range;
      this.random = random;
    }

    byte[] next() {
      return switch (distribution) {
        case "range" -> Long.toString(next++ % range).getBytes(StandardCharsets.UTF_8);
        case "random" -> Integer.toString(random.nextInt(range)).getBytes(StandardCharsets.UTF_8);
        default -> null;
      };
    }
  }
}
