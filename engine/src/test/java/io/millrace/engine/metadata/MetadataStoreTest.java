package io.millrace.engine.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {

  @TempDir
  Path dir;

  static MetadataImage sample() {
    TopicImage t = new TopicImage("orders", Uuid.randomUuid(),
        List.of(new PartitionImage(0, 1, 2, List.of(1), List.of(1), 3), new PartitionImage(1, 1, 0, List.of(1), List.of(1), 0)),
        Map.of("retention.ms", "1000", "cleanup.policy", "compact,delete"));
    return MetadataImage.empty("cluster-x", 1)
        .withBroker(new BrokerRegistration(1, List.of(new Endpoint("PLAINTEXT", "localhost", 9092)), Optional.of("r1")))
        .withTopic(t).withNextProducerId(5000);
  }

  @Test
  void roundTripsAnImage() throws Exception {
    MetadataStore store = new MetadataStore(dir);
    assertThat(store.load()).isEmpty();
    MetadataImage image = sample();
    store.write(image);
    assertThat(store.load()).contains(image);
    assertThat(Files.exists(dir.resolve(MetadataStore.FILE_NAME + ".tmp"))).isFalse();
  }

  @Test
  void aDamagedFileStopsTheLoadWithItsName() throws Exception {
    MetadataStore store = new MetadataStore(dir);
    store.write(sample());
    Path file = dir.resolve(MetadataStore.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 5] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(store::load).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("checksum");
  }

  @Test
  void aTruncatedOrForeignFileIsRejected() throws Exception {
    MetadataStore store = new MetadataStore(dir);
    store.write(sample());
    Path file = dir.resolve(MetadataStore.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    assertThatThrownBy(store::load).hasMessageContaining("body is");
    Files.writeString(file, "hello\n{}", StandardCharsets.UTF_8);
    assertThatThrownBy(store::load).hasMessageContaining("header");
  }

  @Test
  void anImageThatBreaksInvariantsIsRejected() {
    Uuid id = Uuid.randomUuid();
    MetadataImage twice = MetadataImage.empty("c", 1)
        .withTopic(new TopicImage("a", id, List.of(new PartitionImage(0, 1, 0, List.of(1), List.of(1), 0)), Map.of()))
        .withTopic(new TopicImage("b", id, List.of(new PartitionImage(0, 1, 0, List.of(1), List.of(1), 0)), Map.of()));
    assertThatThrownBy(() -> MetadataStore.validate(twice)).hasMessageContaining("used twice");
    MetadataImage leaderOutsideIsr = MetadataImage.empty("c", 1)
        .withTopic(new TopicImage("a", id, List.of(new PartitionImage(0, 2, 0, List.of(1), List.of(1), 0)), Map.of()));
    assertThatThrownBy(() -> MetadataStore.validate(leaderOutsideIsr)).hasMessageContaining("leader 2");
  }
}
