package io.millrace.runtime.tools.console;

import io.millrace.runtime.tools.BrokerOptions;
import io.millrace.runtime.tools.BrokerReachability;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.Plugins;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.api.RecordReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace console-producer}: Kafka's {@code kafka-console-producer.sh}. Reads records from
 * stdin (one per line by default, see {@link LineMessageReader}) and sends them to a topic. A send
 * the broker refuses is printed on stderr as it happens, and makes the exit status 1.
 */
@Command(name = "console-producer", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    sortOptions = false, abbreviateSynopsis = true,
    description = "Read records from standard input and send them to a topic (the flags of Kafka's "
        + "kafka-console-producer.sh).")
public final class ConsoleProducerCommand extends ToolCommand {

  private static final Map<String, Class<? extends RecordReader>> READERS = Map.of(
      "org.apache.kafka.tools.LineMessageReader", LineMessageReader.class,
      "kafka.tools.ConsoleProducer$LineMessageReader", LineMessageReader.class,
      LineMessageReader.class.getName(), LineMessageReader.class);
  private static final Set<String> CODECS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

  @Mixin BrokerOptions broker;

  @Option(names = "--broker-list", paramLabel = "HOST:PORT[,...]", description = "The older name of --bootstrap-server.")
  String brokerList;

  @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to produce to.")
  String topic;

  @Option(names = {"--command-property", "--producer-property"}, paramLabel = "KEY=VALUE",
      description = "A producer config (repeatable); wins over the config file.")
  List<String> producerProperties = new ArrayList<>();

  @Option(names = {"--command-config", "--producer.config"}, paramLabel = "FILE", description = "Producer config properties file.")
  Path producerConfig;

  @Option(names = {"--reader-property", "--property"}, paramLabel = "KEY=VALUE",
      description = "A reader property (repeatable): parse.key, key.separator, parse.headers, headers.delimiter, "
          + "headers.separator, headers.key.separator, ignore.error, null.marker.")
  List<String> readerProperties = new ArrayList<>();

  @Option(names = "--reader-config", paramLabel = "FILE", description = "Reader properties file.")
  Path readerConfig;

  @Option(names = "--line-reader", paramLabel = "CLASS",
      description = "The RecordReader class (default: org.apache.kafka.tools.LineMessageReader, one record per line).")
  String lineReader = "org.apache.kafka.tools.LineMessageReader";

  @Option(names = "--compression-codec", arity = "0..1", fallbackValue = "gzip", paramLabel = "CODEC",
      description = "none, gzip, snappy, lz4 or zstd; gzip when given without a value.")
  String compressionCodec;

  @Option(names = "--sync", description = "Send each record and wait for the broker's answer before the next.")
  boolean sync;

  @Option(names = {"--batch-size", "--max-partition-memory-bytes"}, paramLabel = "BYTES", description = "batch.size (default: 16384).")
  Integer batchSize;

  @Option(names = "--timeout", paramLabel = "MS", description = "linger.ms: how long a record may wait for a batch (default: 1000).")
  Long lingerMs;

  @Option(names = "--request-required-acks", paramLabel = "ACKS", description = "acks: 0, 1, -1 or all (default: -1).")
  String acks;

  @Option(names = "--request-timeout-ms", paramLabel = "MS", description = "request.timeout.ms (default: 1500).")
  Integer requestTimeoutMs;

  @Option(names = "--message-send-max-retries", paramLabel = "N", description = "retries (default: 3).")
  Integer retries;

  @Option(names = "--retry-backoff-ms", paramLabel = "MS", description = "retry.backoff.ms (default: 100).")
  Long retryBackoffMs;

  @Option(names = "--max-block-ms", paramLabel = "MS",
      description = "max.block.ms: how long to wait for the topic's metadata and for buffer space (default: 60000).")
  Long maxBlockMs;

  @Option(names = "--max-memory-bytes", paramLabel = "BYTES", description = "buffer.memory (default: 33554432).")
  Long bufferMemory;

  @Option(names = "--metadata-expiry-ms", paramLabel = "MS", description = "metadata.max.age.ms (default: 300000).")
  Long metadataMaxAgeMs;

  @Option(names = "--socket-buffer-size", paramLabel = "BYTES", description = "send.buffer.bytes (default: 102400).")
  Integer sendBufferBytes;

  @Override
  protected String bootstrapServersForMessages() {
    return broker.bootstrapServers();
  }

  @Override
  protected int run() throws Exception {
    if (compressionCodec != null && !CODECS.contains(compressionCodec.toLowerCase(Locale.ROOT))) {
      throw usageError("invalid --compression-codec '" + compressionCodec + "': use none, gzip, snappy, lz4 or zstd");
    }
    if (brokerList != null) {
      broker.bootstrapServers(brokerList);
    }
    String servers = broker.bootstrapServers(err());
    Properties props = producerProperties(servers);
    RecordReader reader = reader();
    BrokerReachability.check(servers, 5_000);
    AtomicInteger failed = new AtomicInteger();
    int sent = 0;
    KafkaProducer<byte[], byte[]> created = newProducer(props);
    // Ctrl-C while typing: the records still lingering in the producer's buffer are sent, not lost.
    Thread flushOnExit = new Thread(() -> created.close(Duration.ofSeconds(10)), "console-producer-shutdown");
    Runtime.getRuntime().addShutdownHook(flushOnExit);
    try (KafkaProducer<byte[], byte[]> producer = created) {
      awaitTopic(producer, props.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
      Iterator<ProducerRecord<byte[], byte[]>> records = reader.readRecords(in());
      while (records.hasNext()) {
        ProducerRecord<byte[], byte[]> record = records.next();
        if (sync) {
          try {
            producer.send(record).get();
          } catch (ExecutionException e) {
            reportFailure(record, e.getCause(), failed);
          }
        } else {
          producer.send(record, (metadata, e) -> {
            if (e != null) {
              reportFailure(record, e, failed);
            }
          });
        }
        sent++;
      }
      producer.flush();
    } catch (KafkaException e) {
      throw new ToolException("after " + sent + " record(s): " + KafkaFailures.describe(e, servers), e);
    } finally {
      reader.close();
      try {
        Runtime.getRuntime().removeShutdownHook(flushOnExit);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running (Ctrl-C): it closes the producer.
      }
    }
    return failed.get() == 0 ? 0 : 1;
  }

  /** Fails early, before reading any input, if the topic is unknown and the broker will not create it. */
  private void awaitTopic(KafkaProducer<byte[], byte[]> producer, String maxBlockMs) {
    try {
      producer.partitionsFor(topic);
    } catch (TimeoutException e) {
      throw new ToolException("topic '" + topic + "' is not known to the broker at " + broker.bootstrapServers()
          + " after " + maxBlockMs + " ms (max.block.ms): create it with millrace topics --create --topic " + topic
          + " (the broker creates topics on first use only with auto.create.topics.enable=true)");
    }
  }

  private void reportFailure(ProducerRecord<byte[], byte[]> record, Throwable e, AtomicInteger failed) {
    failed.incrementAndGet();
    synchronized (err()) {
      err().println("Error when sending a record to topic " + record.topic() + " with key: "
          + (record.key() == null ? "null" : record.key().length + " bytes") + ", value: "
          + (record.value() == null ? "null" : record.value().length + " bytes") + ": "
          + KafkaFailures.describe(e, broker.bootstrapServers()));
    }
  }

  private KafkaProducer<byte[], byte[]> newProducer(Properties props) {
    try {
      return new KafkaProducer<>(props);
    } catch (KafkaException e) {
      throw new ToolException("cannot create the producer: " + KafkaFailures.message(KafkaFailures.unwrap(e)), e);
    }
  }

  /** Kafka's precedence: the file, then --producer-property, then the explicit flags; flag defaults fill gaps. */
  Properties producerProperties(String servers) {
    Properties p = new Properties();
    p.putAll(ClientProperties.load(producerConfig));
    try {
      p.putAll(ClientProperties.parse(producerProperties, "--producer-property"));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "console-producer");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    merge(p, ProducerConfig.COMPRESSION_TYPE_CONFIG, compressionCodec == null ? null : compressionCodec.toLowerCase(Locale.ROOT), "none");
    merge(p, ProducerConfig.LINGER_MS_CONFIG, lingerMs, 1000L);
    merge(p, ProducerConfig.BATCH_SIZE_CONFIG, batchSize, 16384);
    merge(p, ProducerConfig.ACKS_CONFIG, acks, "-1");
    merge(p, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs, 1500);
    merge(p, ProducerConfig.RETRIES_CONFIG, retries, 3);
    merge(p, ProducerConfig.RETRY_BACKOFF_MS_CONFIG, retryBackoffMs, 100L);
    merge(p, ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs, 60000L);
    merge(p, ProducerConfig.BUFFER_MEMORY_CONFIG, bufferMemory, 33554432L);
    merge(p, ProducerConfig.METADATA_MAX_AGE_CONFIG, metadataMaxAgeMs, 300000L);
    merge(p, ProducerConfig.SEND_BUFFER_CONFIG, sendBufferBytes, 102400);
    // A request timeout below linger would fail every batch: keep Kafka's delivery.timeout.ms rule valid.
    long linger = Long.parseLong(p.get(ProducerConfig.LINGER_MS_CONFIG).toString());
    long request = Long.parseLong(p.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG).toString());
    p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(120_000L, linger + request)));
    return p;
  }

  /** An explicit flag wins; its default applies only when the configs do not set the key. */
  private static void merge(Properties p, String key, Object flag, Object dflt) {
    if (flag != null) {
      p.put(key, flag.toString());
    } else {
      p.putIfAbsent(key, dflt.toString());
    }
  }

  private RecordReader reader() {
    Map<String, Object> props = new HashMap<>(ClientProperties.load(readerConfig));
    try {
      props.putAll(ClientProperties.parse(readerProperties, "--property"));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    props.put("topic", topic);
    if (onTerminal()) {
      props.put(LineMessageReader.PROMPT_STREAM, out());
    }
    RecordReader reader = Plugins.instantiate(lineReader, RecordReader.class, "--line-reader", READERS);
    try {
      reader.configure(props);
    } catch (KafkaException e) {
      throw new ToolException("invalid reader property: " + KafkaFailures.message(e), e);
    }
    return reader;
  }
}
