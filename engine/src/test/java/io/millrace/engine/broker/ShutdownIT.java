package io.millrace.engine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.millrace.engine.EmbeddedBroker;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/** Stopping a broker while clients wait in it. */
class ShutdownIT {

  @Test
  void aLongPollingFetchDoesNotHoldUpTheShutdown() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start();
    try {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("idle", 1, (short) 1))).all().get();
      }
      HostedPartition partition = broker.broker().hostedPartitions().get(new TopicPartition("idle", 0)).orElseThrow();
      try (RawClient client = new RawClient(broker.bootstrapServers())) {
        FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(60_000).setMinBytes(1).setMaxBytes(1 << 20)
            .setReplicaId(-1).setTopics(List.of(new FetchTopic().setTopic("idle").setPartitions(List.of(
                new FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
        client.send(client.frame(ApiKeys.FETCH, (short) 12, fetch));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (partition.waiterCount() == 0) {
          assertThat(System.nanoTime()).as("the fetch waits in the partition").isLessThan(deadline);
          LockSupport.parkNanos(10_000_000);
        }
        // Before the fix, the woken fetch re-registered on the closed partition in a loop on its
        // event loop, and Vert.x gave up closing after 30 s.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> broker.broker().close());
        assertThat(partition.isClosed()).isTrue();
        try {
          client.receive();
        } catch (IOException | RuntimeException e) {
          assertThat(e).isInstanceOfAny(java.io.EOFException.class, SocketException.class);
        }
      }
    } finally {
      broker.close();
    }
  }
}
