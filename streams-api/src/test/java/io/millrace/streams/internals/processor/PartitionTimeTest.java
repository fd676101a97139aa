package io.millrace.streams.internals.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionTimeTest {

  @Test
  void roundTripsAndIgnoresForeignMetadata() {
    assertThat(PartitionTime.decode(PartitionTime.encode(1_714_557_600_000L))).isEqualTo(1_714_557_600_000L);
    assertThat(PartitionTime.decode(null)).isEqualTo(-1);
    assertThat(PartitionTime.decode("")).isEqualTo(-1);
    assertThat(PartitionTime.decode("not base64 !")).isEqualTo(-1);
    assertThat(PartitionTime.decode("AQ==")).isEqualTo(-1);
    assertThat(PartitionTime.decode(java.util.Base64.getEncoder().encodeToString(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 1})))
        .isEqualTo(-1);
  }
}
