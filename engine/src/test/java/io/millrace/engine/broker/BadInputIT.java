package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on raw sockets gets its error or its close, while a well-behaved producer on the same
 * broker keeps going: every one of its records is acknowledged at the next offset.
 */
class BadInputIT {

  static EmbeddedBroker broker;
  KafkaProducer<String, String> wellBehaved;
  List<Future<RecordMetadata>> sent;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("socket.request.max.bytes", "65536", "queued.max.requests", "2"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("steady", 1, (short) 1), new NewTopic("target", 1, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void startWellBehavedClient() throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    wellBehaved = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    sent = new ArrayList<>();
    sendSome();
  }

  /** The well-behaved client noticed nothing: all its records got consecutive offsets. */
  @AfterEach
  void wellBehavedClientNoticedNothing() throws Exception {
    sendSome();
    wellBehaved.flush();
    long previous = -1;
    for (Future<RecordMetadata> f : sent) {
      long offset = f.get().offset();
      if (previous >= 0) {
        assertThat(offset).isEqualTo(previous + 1);
      }
      previous = offset;
    }
    wellBehaved.close();
  }

  private void sendSome() {
    for (int i = 0; i < 50; i++) {
      sent.add(wellBehaved.send(new ProducerRecord<>("steady", 0, null, "ok-" + i)));
    }
  }

  @Test
  void oversizedFrameClosesTheConnection() throws Exception {
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      raw.sendRaw(ByteBuffer.allocate(8).putInt(65537).putInt(0).array());
      assertThat(raw.closedByBroker()).isTrue();
    }
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      raw.sendRaw(ByteBuffer.allocate(4).putInt(-1).array());
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void garbledHeaderClosesTheConnection() throws Exception {
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      // Metadata v1 header whose client id claims 500 bytes in a 12-byte frame.
      raw.sendRaw(ByteBuffer.allocate(16).putInt(12).putShort((short) 3).putShort((short) 1).putInt(7)
          .putShort((short) 500).putShort((short) 0).array());
      assertThat(raw.closedByBroker()).isTrue();
    }
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      raw.sendRaw(ByteBuffer.allocate(7).putInt(3).put(new byte[] {1, 2, 3}).array());
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void unknownApiKeyAndVersionGetUnsupportedVersion() throws Exception {
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      raw.sendRaw(ByteBuffer.allocate(14).putInt(10).putShort((short) 999).putShort((short) 0).putInt(41)
          .putShort((short) -1).array());
      assertUnsupportedWithList(raw.receive(), 41);

      // ApiVersions v99: answered in the v0 format.
      raw.sendRaw(ByteBuffer.allocate(14).putInt(10).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99)
          .putInt(42).putShort((short) -1).array());
      assertUnsupportedWithList(raw.receive(), 42);

      // Produce v2 is advertised (librdkafka needs v0 in the range) but not served.
      raw.sendRaw(ByteBuffer.allocate(14).putInt(10).putShort(ApiKeys.PRODUCE.id).putShort((short) 2)
          .putInt(43).putShort((short) -1).array());
      assertUnsupportedWithList(raw.receive(), 43);

      // The connection is still good.
      ApiVersionsResponse ok = (ApiVersionsResponse) raw.roundTrip(new ApiVersionsRequest.Builder().build((short) 3));
      assertThat(ok.data().errorCode()).isZero();
      assertThat(ok.data().apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
    }
  }

  private static void assertUnsupportedWithList(ByteBuffer frame, int correlationId) {
    ResponseHeader header = ResponseHeader.parse(frame, (short) 0);
    assertThat(header.correlationId()).isEqualTo(correlationId);
    ApiVersionsResponseData body = new ApiVersionsResponseData(new ByteBufferAccessor(frame), (short) 0);
    assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    assertThat(body.apiKeys().find(ApiKeys.FETCH.id)).isNotNull();
  }

  @Test
  void corruptBatchGetsCorruptMessageAndNothingIsAppended() throws Exception {
    TopicPartition tp = new TopicPartition("target", 0);
    long endBefore = broker.broker().logManager().get(tp).orElseThrow().logEndOffset();
    MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
    ByteBuffer buffer = records.buffer();
    buffer.put(buffer.limit() - 1, (byte) (buffer.get(buffer.limit() - 1) ^ 0x55)); // a byte under the CRC
    ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
    data.topicData().add(new ProduceRequestData.TopicProduceData().setName("target")
        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records))));
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      ProduceResponse response = (ProduceResponse) raw.roundTrip(new ProduceRequest.Builder((short) 9, (short) 9, data)
          .build((short) 9));
      short error = response.data().responses().iterator().next().partitionResponses().get(0).errorCode();
      assertThat(Errors.forCode(error)).isEqualTo(Errors.CORRUPT_MESSAGE);
    }
    assertThat(broker.broker().logManager().get(tp).orElseThrow().logEndOffset()).isEqualTo(endBefore);
  }

  @Test
  void pipelinedRequestsBeyondTheQueueBoundAreAnsweredInOrder() throws Exception {
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        raw.send(raw.frame(new ApiVersionsRequest.Builder().build((short) 3)));
        expected.add(raw.lastCorrelationId());
      }
      for (int id : expected) {
        ByteBuffer frame = raw.receive();
        assertThat(ResponseHeader.parse(frame, (short) 0).correlationId()).isEqualTo(id);
      }
    }
  }

  @Test
  void connectionsBeyondMaxConnectionsAreClosed() throws Exception {
    try (EmbeddedBroker limited = EmbeddedBroker.start(Map.of("max.connections", "2"));
         RawClient first = new RawClient(limited.bootstrapServers());
         RawClient second = new RawClient(limited.bootstrapServers())) {
      assertThat(first.roundTrip(new ApiVersionsRequest.Builder().build((short) 3)).errorCounts()).containsOnlyKeys(Errors.NONE);
      assertThat(second.roundTrip(new ApiVersionsRequest.Builder().build((short) 3)).errorCounts()).containsOnlyKeys(Errors.NONE);
      try (RawClient third = new RawClient(limited.bootstrapServers())) {
        assertThat(third.closedByBroker()).isTrue();
      }
      first.close();
      awaitOpenConnections(limited, 1);
      try (RawClient again = new RawClient(limited.bootstrapServers())) {
        assertThat(again.roundTrip(new ApiVersionsRequest.Builder().build((short) 3)).errorCounts()).containsOnlyKeys(Errors.NONE);
      }
    }
  }

  private static void awaitOpenConnections(EmbeddedBroker b, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (b.broker().networkStats().openConnections() > count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(b.broker().networkStats().openConnections()).isLessThanOrEqualTo(count);
  }
}
