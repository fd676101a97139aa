import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * When is a restarted broker ready, seen from a client? The same answer for Kafka and Millrace:
 * Metadata names a leader for every partition of the given topics, and ListOffsets (latest) answers
 * for every one of them with the offset it had before the stop, so every log really is loaded.
 *
 * <pre>
 * usage: StartupProbe offsets BOOTSTRAP OUT_FILE TOPIC...
 *          writes "topic partition latest-offset" per partition of the topics (each must have a
 *          leader); prints "partitions=N records=R empty=E"
 *        StartupProbe topup BOOTSTRAP RECORDS SIZE TOPIC...
 *          writes RECORDS records of SIZE random bytes to every partition of the topics (acks=1,
 *          one producer), so every partition has a tail the broker has not flushed
 *        StartupProbe ready BOOTSTRAP EXPECTED_FILE T0_FILE TIMEOUT_S
 *          started together with the broker: retries (50 ms apart) until Metadata has a leader for
 *          every partition in EXPECTED_FILE and ListOffsets(latest) answers each with its offset
 *          there; T0_FILE holds the epoch ms at which the broker's JVM was launched (read at the
 *          end, so it may be written after the probe starts); prints
 *          "ready_ms=R metadata_ms=M first_answer_ms=F attempts=A", each from T0:
 *          F the first Metadata answer, M the first with every leader, R everything.
 *          Exits 1 after TIMEOUT_S without that, saying what was missing.
 * </pre>
 *
 * Uses a plain KafkaConsumer (no group): {@code listTopics} is one Metadata request, {@code
 * endOffsets} ListOffsets(latest) to each leader; short timeouts and reconnect backoffs so a
 * broker that just opened its port is noticed within about 100 ms.
 */
public final class StartupProbe {

  private static final long BACKOFF_MS = 50;

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("offsets")) {
      offsets(args[1], Path.of(args[2]), List.of(args).subList(3, args.length));
    } else if (args.length >= 5 && args[0].equals("topup")) {
      topup(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), List.of(args).subList(4, args.length));
    } else if (args.length == 5 && args[0].equals("ready")) {
      ready(args[1], Path.of(args[2]), Path.of(args[3]), Long.parseLong(args[4]));
    } else {
      System.err.println("usage: StartupProbe offsets BOOTSTRAP OUT_FILE TOPIC...\n"
          + "       StartupProbe topup BOOTSTRAP RECORDS SIZE TOPIC...\n"
          + "       StartupProbe ready BOOTSTRAP EXPECTED_FILE T0_FILE TIMEOUT_S");
      System.exit(2);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, "20");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "100");
    p.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
    p.put(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "100");
    p.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "1000");
    p.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "1000");
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    return new KafkaConsumer<>(p);
  }

  private static void offsets(String bootstrap, Path out, List<String> topics) throws IOException {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
      Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(30));
      List<TopicPartition> partitions = new ArrayList<>();
      for (String t : topics) {
        List<PartitionInfo> infos = all.get(t);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + t + " does not exist at " + bootstrap);
        }
        for (PartitionInfo i : infos) {
          if (i.leader() == null || i.leader().isEmpty()) {
            throw new IllegalStateException(t + "-" + i.partition() + " has no leader at " + bootstrap);
          }
          partitions.add(new TopicPartition(t, i.partition()));
        }
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
      StringBuilder text = new StringBuilder();
      long records = 0;
      int empty = 0;
      for (TopicPartition tp : sorted(end.keySet())) {
        long offset = end.get(tp);
        text.append(tp.topic()).append(' ').append(tp.partition()).append(' ').append(offset).append('\n');
        records += offset;
        empty += offset == 0 ? 1 : 0;
      }
      Files.writeString(out, text);
      System.out.printf("partitions=%d records=%d empty=%d%n", end.size(), records, empty);
    }
  }

  private static void topup(String bootstrap, int records, int size, List<String> topics) throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
      Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(30));
      for (String t : topics) {
        for (PartitionInfo i : all.getOrDefault(t, List.of())) {
          partitions.add(new TopicPartition(t, i.partition()));
        }
      }
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    byte[] value = new byte[size];
    new Random(0).nextBytes(value);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (int r = 0; r < records; r++) {
        for (TopicPartition tp : partitions) {
          sent.add(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, value)));
        }
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    }
    System.out.printf("partitions=%d records=%d%n", partitions.size(), sent.size());
  }

  private static void ready(String bootstrap, Path expectedFile, Path t0File, long timeoutS) throws IOException {
    Map<TopicPartition, Long> expected = new HashMap<>();
    for (String line : Files.readAllLines(expectedFile)) {
      String[] f = line.trim().split(" ");
      if (f.length == 3) {
        expected.put(new TopicPartition(f[0], Integer.parseInt(f[1])), Long.parseLong(f[2]));
      }
    }
    if (expected.isEmpty()) {
      throw new IllegalStateException(expectedFile + " lists no partitions");
    }
    long start = System.currentTimeMillis();
    long deadline = start + timeoutS * 1000;
    long firstAnswer = -1;
    long metadataReady = -1;
    int attempts = 0;
    String missing = "no answer yet";
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
      while (true) {
        attempts++;
        try {
          Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(2));
          long now = System.currentTimeMillis();
          firstAnswer = firstAnswer < 0 ? now : firstAnswer;
          int leaderless = leaderless(all, expected);
          if (leaderless > 0) {
            missing = leaderless + " of " + expected.size() + " partitions without a leader in Metadata";
          } else {
            metadataReady = metadataReady < 0 ? now : metadataReady;
            Map<TopicPartition, Long> end = consumer.endOffsets(expected.keySet(), Duration.ofSeconds(5));
            String diff = difference(expected, end);
            if (diff.isEmpty()) {
              break;
            }
            missing = diff;
          }
        } catch (KafkaException e) {
          missing = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (System.currentTimeMillis() > deadline) {
          System.err.println("StartupProbe: not ready after " + timeoutS + " s (" + attempts + " attempts): " + missing);
          System.exit(1);
        }
        LockSupport.parkNanos(BACKOFF_MS * 1_000_000);
      }
    }
    long done = System.currentTimeMillis();
    long t0 = Long.parseLong(Files.readString(t0File).trim());
    System.out.printf("ready_ms=%d metadata_ms=%d first_answer_ms=%d attempts=%d%n",
        done - t0, metadataReady - t0, firstAnswer - t0, attempts);
  }

  private static int leaderless(Map<String, List<PartitionInfo>> all, Map<TopicPartition, Long> expected) {
    Map<TopicPartition, Boolean> led = new HashMap<>();
    for (List<PartitionInfo> infos : all.values()) {
      for (PartitionInfo i : infos) {
        led.put(new TopicPartition(i.topic(), i.partition()), i.leader() != null && !i.leader().isEmpty());
      }
    }
    int n = 0;
    for (TopicPartition tp : expected.keySet()) {
      n += Boolean.TRUE.equals(led.get(tp)) ? 0 : 1;
    }
    return n;
  }

  /** Empty when every partition's latest offset is the expected one; else a short description. */
  private static String difference(Map<TopicPartition, Long> expected, Map<TopicPartition, Long> end) {
    int wrong = 0;
    String example = "";
    for (TopicPartition tp : sorted(expected.keySet())) {
      Long got = end.get(tp);
      if (!expected.get(tp).equals(got)) {
        if (wrong++ == 0) {
          example = ", e.g. " + tp + " latest " + got + " instead of " + expected.get(tp);
        }
      }
    }
    return wrong == 0 ? "" : wrong + " of " + expected.size() + " partitions with another latest offset" + example;
  }

  private static List<TopicPartition> sorted(Iterable<TopicPartition> tps) {
    TreeMap<String, TopicPartition> byName = new TreeMap<>();
    for (TopicPartition tp : tps) {
      byName.put(String.format("%s-%09d", tp.topic(), tp.partition()), tp);
    }
    return new ArrayList<>(byName.values());
  }
}
