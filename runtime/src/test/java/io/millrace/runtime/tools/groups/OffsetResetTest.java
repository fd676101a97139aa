package io.millrace.runtime.tools.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetResetTest {

  @Test
  void dateTimesTakeAnOptionalZoneAndFraction() {
    assertThat(OffsetReset.parseDateTime("2024-03-01T12:00:00.000Z")).isEqualTo(1709294400000L);
    assertThat(OffsetReset.parseDateTime("2024-03-01T13:00:00+01:00")).isEqualTo(1709294400000L);
    assertThat(OffsetReset.parseDateTime("2024-03-01T12:00:00.250"))
        .isEqualTo(LocalDateTime.of(2024, 3, 1, 12, 0, 0, 250_000_000).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
    assertThatThrownBy(() -> OffsetReset.parseDateTime("2024-03-01 12:00")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsAreIsoAndNotNegative() {
    long before = System.currentTimeMillis();
    long t = OffsetReset.timeAgo("PT1H");
    assertThat(before - t).isBetween(3_600_000L - 1000, 3_600_000L + 1000);
    assertThatThrownBy(() -> OffsetReset.timeAgo("-PT1H")).hasMessageContaining("must not be negative");
  }

  @Test
  void csvRoundTripsWithAndWithoutTheGroupColumn(@TempDir Path dir) throws Exception {
    Map<String, Map<TopicPartition, Long>> offsets = new LinkedHashMap<>();
    offsets.put("g1", Map.of(new TopicPartition("a", 0), 5L));
    offsets.put("g2", Map.of(new TopicPartition("b", 3), 7L));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OffsetsCsv.write(offsets, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("g1,a,0,5\ng2,b,3,7\n");
    Path file = Files.writeString(dir.resolve("o.csv"), out.toString(StandardCharsets.UTF_8) + "\nc,1,2\n");
    Map<String, Map<TopicPartition, Long>> read = OffsetsCsv.read(file);
    assertThat(read.get("g1")).containsEntry(new TopicPartition("a", 0), 5L);
    assertThat(read.get("g2")).containsEntry(new TopicPartition("b", 3), 7L);
    assertThat(read.get(OffsetsCsv.ANY_GROUP)).containsEntry(new TopicPartition("c", 1), 2L);
  }
}
