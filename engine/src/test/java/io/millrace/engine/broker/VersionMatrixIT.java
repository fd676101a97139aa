package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every served version of the data-path APIs, old and new, answered without error on one
 * connection: what librdkafka, kafkajs and kafka-clients of different ages send.
 */
class VersionMatrixIT {

  static EmbeddedBroker broker;
  static Uuid topicId;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(5000);
      data.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("matrix").setNumPartitions(1)
          .setReplicationFactor((short) 1));
      raw.roundTrip(new CreateTopicsRequest.Builder(data).build((short) 7));
    }
    topicId = broker.broker().metadata().topic("matrix").id();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void everyVersionOfProduceFetchListOffsetsAndMetadata() throws Exception {
    try (RawClient raw = new RawClient(broker.bootstrapServers())) {
      long offset = 0;
      for (short v = 3; v <= ApiKeys.PRODUCE.latestVersion(); v++) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName(v < 13 ? "matrix" : "")
            .setTopicId(v >= 13 ? topicId : Uuid.ZERO_UUID)
            .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(("v" + v).getBytes()))))));
        ProduceResponseData r = (ProduceResponseData) raw.roundTrip(ApiKeys.PRODUCE, v, data).data();
        ProduceResponseData.PartitionProduceResponse p = r.responses().iterator().next().partitionResponses().get(0);
        assertThat(p.errorCode()).as("Produce v%d", v).isZero();
        assertThat(p.baseOffset()).isEqualTo(offset++);
      }
      for (short v = 4; v <= ApiKeys.FETCH.latestVersion(); v++) {
        FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
            .setMaxBytes(1 << 20);
        data.topics().add(new FetchRequestData.FetchTopic().setTopic(v < 13 ? "matrix" : "")
            .setTopicId(v >= 13 ? topicId : Uuid.ZERO_UUID)
            .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                .setPartitionMaxBytes(1 << 20))));
        FetchResponseData r = (FetchResponseData) raw.roundTrip(ApiKeys.FETCH, v, data).data();
        FetchResponseData.PartitionData p = r.responses().get(0).partitions().get(0);
        assertThat(p.errorCode()).as("Fetch v%d", v).isZero();
        assertThat(p.highWatermark()).isEqualTo(offset);
        assertThat(p.records().sizeInBytes()).isPositive();
      }
      for (short v = 1; v <= ApiKeys.LIST_OFFSETS.latestVersion(); v++) {
        ListOffsetsRequestData data = new ListOffsetsRequestData().setReplicaId(-1);
        data.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName("matrix")
            .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                .setTimestamp(-1))));
        ListOffsetsResponseData r = (ListOffsetsResponseData) raw.roundTrip(ApiKeys.LIST_OFFSETS, v, data).data();
        assertThat(r.topics().get(0).partitions().get(0).errorCode()).as("ListOffsets v%d", v).isZero();
        assertThat(r.topics().get(0).partitions().get(0).offset()).isEqualTo(offset);
      }
      for (short v = 0; v <= ApiKeys.METADATA.latestVersion(); v++) {
        MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(true);
        data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("matrix"));
        MetadataResponseData r = (MetadataResponseData) raw.roundTrip(ApiKeys.METADATA, v, data).data();
        assertThat(r.topics().iterator().next().errorCode()).as("Metadata v%d", v).isZero();
        assertThat(r.brokers()).hasSize(1);
      }
    }
  }
}
