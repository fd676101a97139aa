import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's {@code EndToEndLatency} with microsecond percentiles.
 *
 * <p>Kafka's tool (kafka-tools 4.4.0) keeps each round trip as whole milliseconds, truncated, so
 * its percentiles are integers: a p99 of 0.9 ms prints as 0, and ratios between brokers whose
 * latencies are around a millisecond mean nothing. This tool does the same round trips with the
 * same client settings (producer {@code linger.ms=0}, the given acks; consumer assigned to every
 * partition at the end, {@code fetch.max.wait.ms=0}, no auto commit) and keeps nanoseconds: one
 * record of {@code SIZE} random bytes is sent, the producer waits for its acknowledgement, and the
 * consumer polls until it has the record; the time from send to receipt is one sample. The first
 * {@code WARMUP} round trips are done but not counted.
 *
 * <pre>usage: E2eLatency BOOTSTRAP TOPIC ROUND_TRIPS ACKS SIZE [WARMUP]</pre>
 *
 * Output, in milliseconds with three decimals:
 * <pre>
 * Avg latency: 0.4123 ms
 * Percentiles: 50th = 0.391, 99th = 0.804, 99.9th = 2.113
 * </pre>
 * Exits 1 when a poll times out (60 s) or a record comes back different.
 */
public final class E2eLatency {

  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: E2eLatency BOOTSTRAP TOPIC ROUND_TRIPS ACKS SIZE [WARMUP]");
      System.exit(2);
    }
    String bootstrap = args[0];
    String topic = args[1];
    int roundTrips = Integer.parseInt(args[2]);
    String acks = args[3];
    int size = Integer.parseInt(args[4]);
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 0;

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Long.MAX_VALUE));
    pp.put(ProducerConfig.ACKS_CONFIG, acks);
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0");
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

    long[] nanos = new long[roundTrips];
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp);
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      Random random = new Random(0);
      for (int i = -warmup; i < roundTrips; i++) {
        byte[] value = new byte[size];
        random.nextBytes(value);
        long begin = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, value)).get();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        long elapsed = System.nanoTime() - begin;
        check(records, value, i);
        if (i >= 0) {
          nanos[i] = elapsed;
        }
        if (i > 0 && i % 1000 == 0) {
          System.out.printf("%d\t%.3f%n", i, elapsed / 1e6);
        }
      }
    }
    double avgMs = Arrays.stream(nanos).average().orElse(0) / 1e6;
    Arrays.sort(nanos);
    System.out.printf("Avg latency: %.4f ms%n", avgMs);
    System.out.printf("Percentiles: 50th = %.3f, 99th = %.3f, 99.9th = %.3f%n",
        at(nanos, 0.5), at(nanos, 0.99), at(nanos, 0.999));
  }

  /** The sample at {@code q} of the sorted array, in ms (the same index rule as Kafka's tool). */
  private static double at(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) (sorted.length * q)] / 1e6;
  }

  private static void check(ConsumerRecords<byte[], byte[]> records, byte[] sent, int i) {
    if (records.isEmpty()) {
      fail("round trip " + i + ": poll() timed out after " + POLL_TIMEOUT.toMillis() + " ms");
    }
    if (records.count() != 1) {
      fail("round trip " + i + ": expected 1 record, got " + records.count());
    }
    ConsumerRecord<byte[], byte[]> r = records.iterator().next();
    if (!Arrays.equals(sent, r.value())) {
      fail("round trip " + i + ": the record read back differs from the one sent");
    }
  }

  private static void fail(String message) {
    System.err.println("E2eLatency: " + message);
    System.exit(1);
  }
}
