package io.millrace.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader cut off while still running (SIGSTOP): the others elect a new leader and keep
 * acknowledging; an acks=all write that reaches the old leader when it wakes up is not
 * acknowledged, is gone once it has rejoined as a follower, and no acknowledged write is lost.
 */
class IsolatedLeaderIT {

  static final String TOPIC = "isolated";

  @TempDir
  Path tmp;

  @Test
  void anIsolatedOldLeaderCannotAcknowledgeAndLosesNothingAcknowledged() throws Exception {
    try (ClusterProcesses cluster = new ClusterProcesses(tmp, 3, List.of())) {
      cluster.startAll();
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      List<String> acknowledged = new ArrayList<>();
      int leader;
      try (Admin admin = Admin.create(ClusterFaultIT.adminProps(cluster.bootstrap()))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
            .all().get();
        awaitIsr(admin, 3, -1);
        acknowledged.addAll(produce(cluster.bootstrap(), "before", 50));
        leader = describe(admin).partitions().get(0).leader().id();
      }
      String others = java.util.stream.IntStream.rangeClosed(1, 3).filter(id -> id != leader)
          .mapToObj(cluster::bootstrap).collect(Collectors.joining(","));
      try (Socket oldLeader = new Socket("127.0.0.1", Integer.parseInt(cluster.bootstrap(leader).split(":")[1]));
           Admin admin = Admin.create(ClusterFaultIT.adminProps(others))) {
        cluster.pause(leader);
        try {
          // The others notice it silent, fence it and elect another leader.
          TestWait.until("a new leader", Duration.ofSeconds(60), () -> {
            TopicDescription d = describe(admin);
            return d.partitions().get(0).leader() != null && d.partitions().get(0).leader().id() != leader;
          });
          acknowledged.addAll(produce(others, "during", 50));
          // Queued in the paused broker's socket: it reads it first thing when it wakes up.
          send(oldLeader, produceRequest("written-to-the-isolated-leader"));
        } finally {
          cluster.resume(leader);
        }
        oldLeader.setSoTimeout(60_000);
        Errors answer = readProduceError(oldLeader);
        assertThat(answer).as("the isolated old leader's answer to acks=all").isNotEqualTo(Errors.NONE);
        awaitIsr(admin, 3, -1);
      }
      acknowledged.addAll(produce(cluster.bootstrap(), "after", 50));
      List<String> log = readAll(cluster.bootstrap(), tp);
      assertThat(log).containsExactlyElementsOf(acknowledged);
      assertThat(log).doesNotContain("written-to-the-isolated-leader");
    }
  }

  private static TopicDescription describe(Admin admin) {
    try {
      return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitIsr(Admin admin, int size, int notLeader) {
    TestWait.until("ISR of " + size, Duration.ofSeconds(90), () -> {
      try {
        TopicDescription d = describe(admin);
        return d.partitions().get(0).leader() != null && d.partitions().get(0).isr().size() == size;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private static List<String> produce(String bootstrap, String prefix, int count) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("delivery.timeout.ms", "60000");
    p.put("request.timeout.ms", "5000");
    List<String> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        String v = prefix + "-" + i;
        producer.send(new ProducerRecord<>(TOPIC, 0, null, v)).get();
        sent.add(v);
      }
    }
    return sent;
  }

  private static ByteBuffer produceRequest(String value) {
    MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
        new SimpleRecord(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)));
    ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
    ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(TOPIC);
    topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
    data.topicData().add(topic);
    RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, (short) 9, "isolation-test", 1);
    ByteBuffer bytes = RequestUtils.serialize(header.data(), header.headerVersion(), data, (short) 9);
    return ByteBuffer.allocate(4 + bytes.remaining()).putInt(bytes.remaining()).put(bytes).flip();
  }

  private static void send(Socket socket, ByteBuffer frame) throws Exception {
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  private static Errors readProduceError(Socket socket) throws Exception {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    ByteBuffer buffer = ByteBuffer.wrap(frame);
    ResponseHeader.parse(buffer, ApiKeys.PRODUCE.responseHeaderVersion((short) 9));
    ProduceResponse response = (ProduceResponse) AbstractResponse.parseResponse(ApiKeys.PRODUCE,
        new ByteBufferAccessor(buffer), (short) 9);
    ProduceResponseData.PartitionProduceResponse p = response.data().responses().iterator().next()
        .partitionResponses().get(0);
    return Errors.forCode(p.errorCode());
  }

  private static List<String> readAll(String bootstrap, TopicPartition tp) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }

  /** Waits for a condition with a deadline. */
  static final class TestWait {
    static void until(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
    }
  }
}
