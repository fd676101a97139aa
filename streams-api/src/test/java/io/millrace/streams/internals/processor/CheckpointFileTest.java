package io.millrace.streams.internals.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.errors.StreamsException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsOffsets() {
    CheckpointFile f = new CheckpointFile(dir.resolve(".checkpoint").toFile());
    assertThat(f.read()).isEmpty();
    Map<TopicPartition, Long> offsets = Map.of(new TopicPartition("app-a-changelog", 3), 17L,
        new TopicPartition("app-b-changelog", 3), 0L);
    f.write(offsets);
    assertThat(f.read()).isEqualTo(offsets);
    f.write(Map.of());
    assertThat(f.read()).isEmpty();
  }

  @Test
  void damagedFilesAreReportedWithTheirPath() throws Exception {
    File file = dir.resolve(".checkpoint").toFile();
    CheckpointFile f = new CheckpointFile(file);
    Files.writeString(file.toPath(), "0\n2\napp-a-changelog 3 17\n");
    assertThatThrownBy(f::read).isInstanceOf(StreamsException.class).hasMessageContaining("truncated");
    Files.writeString(file.toPath(), "7\n0\n");
    assertThatThrownBy(f::read).hasMessageContaining("Unknown checkpoint format");
    Files.writeString(file.toPath(), "0\n1\napp-a-changelog three 17\n");
    assertThatThrownBy(f::read).hasMessageContaining(file.getPath());
  }
}
