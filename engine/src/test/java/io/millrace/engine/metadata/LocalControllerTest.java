package io.millrace.engine.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.metadata.Controller.NewTopic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalControllerTest {

  @TempDir
  Path dir;

  final List<Vertx> vertxes = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Vertx v : vertxes) {
      v.close().await(10, TimeUnit.SECONDS);
    }
  }

  LocalController controller(List<MetadataImage> published) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    LocalController c = new LocalController(vertx, new MetadataStore(dir),
        new MetadataChanges(2, (short) 1, MetadataChangesTest.RULES, Uuid::randomUuid),
        new BrokerRegistration(1, List.of(new Endpoint("PLAINTEXT", "localhost", 9092)), Optional.empty()));
    c.addListener((previous, image) -> {
      published.add(image);
      return Future.succeededFuture();
    });
    c.start().await(10, TimeUnit.SECONDS);
    return c;
  }

  @Test
  void topicsAndProducerIdBlocksSurviveARestart() throws Exception {
    List<MetadataImage> published = new ArrayList<>();
    LocalController first = controller(published);
    String clusterId = first.image().clusterId();
    first.createTopics(List.of(NewTopic.withDefaults("kept")), false).await(10, TimeUnit.SECONDS);
    long firstBlock = first.allocateProducerIds().await(10, TimeUnit.SECONDS).firstId();
    Uuid id = first.image().topic("kept").id();
    assertThat(published).extracting(MetadataImage::version).isSorted();
    assertThat(published.get(published.size() - 1)).isEqualTo(first.image());

    LocalController second = controller(new ArrayList<>());
    assertThat(second.image().clusterId()).isEqualTo(clusterId);
    assertThat(second.image().topic("kept").id()).isEqualTo(id);
    assertThat(second.allocateProducerIds().await(10, TimeUnit.SECONDS).firstId())
        .isGreaterThanOrEqualTo(firstBlock + LocalController.PRODUCER_ID_BLOCK_SIZE);
  }

  @Test
  void concurrentChangesApplyOneAtATime() throws Exception {
    LocalController c = controller(new ArrayList<>());
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(c.createTopics(List.of(NewTopic.withDefaults("t" + i)), false));
      all.add(c.allocateProducerIds());
    }
    Future.all(all).await(10, TimeUnit.SECONDS);
    assertThat(c.image().topics()).hasSize(20);
    assertThat(c.image().nextProducerId()).isEqualTo(20L * LocalController.PRODUCER_ID_BLOCK_SIZE);
    assertThat(new MetadataStore(dir).load()).contains(c.image());
    assertThat(Map.copyOf(c.image().topics())).containsKey("t19");
  }
}
