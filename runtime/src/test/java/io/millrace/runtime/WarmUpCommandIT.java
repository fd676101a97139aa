package io.millrace.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code millrace warm-up}, which bin/millrace runs to record its class-data sharing archive: a
 * broker on an ephemeral port with the default three network threads (one shared server socket),
 * a topic, 1,000 records produced and read back by a group, and nothing left behind.
 */
class WarmUpCommandIT {

  @Test
  void roundTripsThroughABrokerOnAnEphemeralPortAndCleansUp() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = embeddedDataDirs(tmp);
    assertThat(Millrace.commandLine().execute("warm-up")).isZero();
    assertThat(embeddedDataDirs(tmp)).isEqualTo(before);
  }

  private static long embeddedDataDirs(Path tmp) throws Exception {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("millrace-embedded-")).count();
    }
  }
}
