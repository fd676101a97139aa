package io.millrace.runtime.tools.console;

import io.millrace.runtime.tools.BrokerOptions;
import io.millrace.runtime.tools.BrokerReachability;
import io.millrace.runtime.tools.ClientProperties;
import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.Plugins;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.runtime.tools.TopicPattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.MessageFormatter;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code millrace console-consumer}: Kafka's {@code kafka-console-consumer.sh}. Reads a topic (or
 * every topic matching {@code --include}) and prints each record through a formatter, until
 * {@code --max-messages} records, {@code --timeout-ms} without a record, or Ctrl-C. Without
 * {@code --group} it joins a fresh group {@code console-consumer-NNNNN} that commits nothing; with
 * {@code --partition} it reads that partition directly, without a group.
 */
@Command(name = "console-consumer", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    sortOptions = false, abbreviateSynopsis = true,
    description = "Read records from topics and print them on standard output (the flags of Kafka's "
        + "kafka-console-consumer.sh).")
public final class ConsoleConsumerCommand extends ToolCommand {

  private static final Map<String, Class<? extends MessageFormatter>> FORMATTERS = Map.of(
      "kafka.tools.DefaultMessageFormatter", DefaultMessageFormatter.class,
      "org.apache.kafka.tools.consumer.DefaultMessageFormatter", DefaultMessageFormatter.class,
      "kafka.tools.NoOpMessageFormatter", NoOpMessageFormatter.class,
      "org.apache.kafka.tools.consumer.NoOpMessageFormatter", NoOpMessageFormatter.class,
      "kafka.tools.LoggingMessageFormatter", LoggingMessageFormatter.class,
      "org.apache.kafka.tools.consumer.LoggingMessageFormatter", LoggingMessageFormatter.class);

  @Mixin BrokerOptions broker;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic to consume.")
  String topic;

  @Option(names = {"--include", "--whitelist"}, paramLabel = "REGEX",
      description = "A regular expression of the topics to consume (--whitelist is its older name).")
  String include;

  @Option(names = "--group", paramLabel = "GROUP", description = "The consumer group to join (and commit offsets in).")
  String group;

  @Option(names = "--partition", paramLabel = "N",
      description = "Read only this partition of --topic, without a group; from its end unless --offset says otherwise.")
  Integer partition;

  @Option(names = "--offset", paramLabel = "OFFSET",
      description = "With --partition: a non-negative offset, 'earliest' or 'latest' (default: latest).")
  String offset;

  @Option(names = "--from-beginning",
      description = "Start with the earliest record when the group has no committed offset (default: the latest).")
  boolean fromBeginning;

  @Option(names = "--max-messages", paramLabel = "N", description = "Exit after N records.")
  Integer maxMessages;

  @Option(names = "--timeout-ms", paramLabel = "MS", description = "Exit when no record arrives for this long.")
  Long timeoutMs;

  @Option(names = "--formatter", paramLabel = "CLASS",
      description = "The formatter class (default: ${DEFAULT-VALUE}; kafka.tools.DefaultMessageFormatter is the same).")
  String formatterClass = "org.apache.kafka.tools.consumer.DefaultMessageFormatter";

  @Option(names = {"--formatter-property", "--property"}, paramLabel = "KEY=VALUE",
      description = "A formatter property (repeatable): print.key, print.value, print.timestamp, print.partition, "
          + "print.offset, print.headers, key.separator, line.separator, headers.separator, null.literal, "
          + "key.deserializer, value.deserializer, headers.deserializer.")
  List<String> formatterProperties = new ArrayList<>();

  @Option(names = "--formatter-config", paramLabel = "FILE", description = "Formatter properties file.")
  Path formatterConfig;

  @Option(names = "--key-deserializer", paramLabel = "CLASS", description = "The deserializer of keys (formatter's key.deserializer).")
  String keyDeserializer;

  @Option(names = "--value-deserializer", paramLabel = "CLASS", description = "The deserializer of values (formatter's value.deserializer).")
  String valueDeserializer;

  @Option(names = {"--command-property", "--consumer-property"}, paramLabel = "KEY=VALUE",
      description = "A consumer config (repeatable); wins over the config file.")
  List<String> consumerProperties = new ArrayList<>();

  @Option(names = {"--command-config", "--consumer.config"}, paramLabel = "FILE", description = "Consumer config properties file.")
  Path consumerConfig;

  @Option(names = "--isolation-level", paramLabel = "LEVEL", description = "read_uncommitted (default) or read_committed.")
  String isolationLevel;

  @Option(names = "--skip-message-on-error", description = "Skip a record that cannot be formatted instead of stopping.")
  boolean skipMessageOnError;

  @Override
  protected String bootstrapServersForMessages() {
    return broker.bootstrapServers();
  }

  @Override
  protected int run() throws Exception {
    checkArguments();
    String servers = broker.bootstrapServers(err());
    Properties props = consumerProperties(servers);
    MessageFormatter formatter = formatter();
    BrokerReachability.check(servers, 5_000);
    PrintLoop consumption = new PrintLoop(maxMessages == null ? Long.MAX_VALUE : maxMessages,
        timeoutMs == null || timeoutMs < 0 ? Long.MAX_VALUE : timeoutMs, skipMessageOnError, out(), err());
    Thread hook = new Thread(consumption::stop, "console-consumer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (KafkaConsumer<byte[], byte[]> consumer = newConsumer(props)) {
      start(consumer);
      return consumption.run(consumer, formatter);
    } finally {
      formatter.close();
      if (consumption.started()) {
        err().println("Processed a total of " + consumption.count() + " messages");
      }
      consumption.finished();
      removeHook(hook);
    }
  }

  private void checkArguments() {
    if ((topic == null) == (include == null)) {
      throw usageError("Exactly one of --topic or --include is required");
    }
    if (partition != null) {
      if (topic == null) {
        throw usageError("The topic is required when partition is specified.");
      }
      if (fromBeginning && offset != null) {
        throw usageError("Options from-beginning and offset cannot be specified together.");
      }
      if (partition < 0) {
        throw usageError("invalid --partition " + partition + ": partitions are numbered from 0");
      }
    } else if (offset != null) {
      throw usageError("The partition is required when offset is specified.");
    }
    if (group != null && partition != null) {
      throw usageError("Options group and partition cannot be specified together.");
    }
    if (offset != null) {
      startOffset();
    }
    if (maxMessages != null && maxMessages < 0) {
      throw usageError("invalid --max-messages " + maxMessages + ": must not be negative");
    }
    if (include != null) {
      TopicPattern.compile(include);
    }
  }

  /** -2 for earliest, -1 for latest, else the offset. */
  private long startOffset() {
    String o = offset == null ? (fromBeginning ? "earliest" : "latest") : offset.toLowerCase(Locale.ROOT);
    switch (o) {
      case "earliest":
        return -2;
      case "latest":
        return -1;
      default:
        try {
          long n = Long.parseLong(o);
          if (n >= 0) {
            return n;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw usageError("The provided offset value '" + offset + "' is incorrect. Valid values are "
            + "'earliest', 'latest', or a non-negative long.");
    }
  }

  Properties consumerProperties(String servers) {
    Properties p = new Properties();
    p.putAll(ClientProperties.load(consumerConfig));
    try {
      p.putAll(ClientProperties.parse(consumerProperties, "--consumer-property"));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    Set<String> groups = new LinkedHashSet<>();
    if (group != null) {
      groups.add(group);
    }
    if (p.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
      groups.add(p.getProperty(ConsumerConfig.GROUP_ID_CONFIG));
    }
    if (groups.size() > 1) {
      throw usageError("The group ids given in different places (--group, --consumer-property, --consumer.config) "
          + "do not match: " + groups);
    }
    String reset = p.getProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    if (reset != null && fromBeginning && !reset.equals("earliest")) {
      throw usageError("Can't simultaneously specify --from-beginning and 'auto.offset.reset=" + reset
          + "', please remove one option");
    }
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "console-consumer");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    if (isolationLevel != null) {
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    }
    if (partition != null) {
      p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    } else if (groups.isEmpty()) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "console-consumer-" + ThreadLocalRandom.current().nextInt(100_000));
      // The generated group is never used again: do not fill the offsets topic with its commits.
      p.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    } else {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groups.iterator().next());
    }
    return p;
  }

  private MessageFormatter formatter() {
    Map<String, Object> config = new HashMap<>(ClientProperties.load(formatterConfig));
    if (keyDeserializer != null && !keyDeserializer.isBlank()) {
      config.put("key.deserializer", keyDeserializer);
    }
    if (valueDeserializer != null && !valueDeserializer.isBlank()) {
      config.put("value.deserializer", valueDeserializer);
    }
    try {
      config.putAll(ClientProperties.parse(formatterProperties, "--property"));
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    MessageFormatter formatter = Plugins.instantiate(formatterClass, MessageFormatter.class, "--formatter", FORMATTERS);
    try {
      formatter.configure(config);
    } catch (KafkaException e) {
      throw new ToolException("invalid formatter property: " + KafkaFailures.message(KafkaFailures.unwrap(e)), e);
    }
    return formatter;
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(Properties props) {
    try {
      return new KafkaConsumer<>(props);
    } catch (KafkaException e) {
      throw new ToolException("cannot create the consumer: " + KafkaFailures.message(KafkaFailures.unwrap(e)), e);
    }
  }

  /** Assigns the partition or subscribes; an unknown --topic is an error, not an endless wait. */
  private void start(KafkaConsumer<byte[], byte[]> consumer) {
    if (include != null) {
      consumer.subscribe(TopicPattern.compile(include).pattern());
      return;
    }
    List<PartitionInfo> partitions = consumer.partitionsFor(topic);
    if (partitions == null || partitions.isEmpty()) {
      throw new ToolException("topic '" + topic + "' does not exist");
    }
    if (partition == null) {
      consumer.subscribe(List.of(topic));
      return;
    }
    if (partition >= partitions.size()) {
      throw new ToolException("topic '" + topic + "' has " + partitions.size() + " partition(s): there is no partition "
          + partition);
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    long start = startOffset();
    if (start == -2) {
      consumer.seekToBeginning(List.of(tp));
    } else if (start == -1) {
      consumer.seekToEnd(List.of(tp));
    } else {
      consumer.seek(tp, start);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running (Ctrl-C) and waits for us.
    }
  }
}
