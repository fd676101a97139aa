package io.millrace.runtime.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/millrace}'s class-data sharing archive, through the real launcher: after a run there
 * is one archive beside the jar, newer than the jar; a run with it recorded says nothing about
 * recording and works; a corrupt archive is ignored by the JVM (the command still works) until the
 * jar is rebuilt; {@code MILLRACE_CDS=0} runs without one.
 */
class LauncherIT {

  @TempDir Path dir;

  private static final Path TARGET = Path.of("target").toAbsolutePath();

  private static List<Path> archives() throws Exception {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(p -> p.getFileName().toString().matches("millrace-\\d+\\.jsa")).toList();
    }
  }

  @Test
  void recordsTheArchiveOnceAndMapsItAfterwards() throws Exception {
    try (CliProcess first = CliProcess.run(dir, "", "--version")) {
      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(first.stdout()).startsWith("Millrace ");
    }
    assertThat(archives()).hasSize(1);
    Path archive = archives().get(0);
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThanOrEqualTo(
        Files.getLastModifiedTime(TARGET.resolve("millrace.jar")));
    try (CliProcess second = CliProcess.run(dir, "", "--version")) {
      assertThat(second.exitCode()).isZero();
      assertThat(second.stdout()).startsWith("Millrace ");
      assertThat(second.stderr()).doesNotContain("recording");
    }
  }

  @Test
  void aDamagedArchiveIsIgnoredNotFatal() throws Exception {
    try (CliProcess p = CliProcess.run(dir, "", "--version")) {
      assertThat(p.exitCode()).isZero();
    }
    Path archive = archives().get(0);
    byte[] good = Files.readAllBytes(archive);
    try {
      archive.toFile().setWritable(true);
      Files.write(archive, "not an archive".getBytes());
      try (CliProcess p = CliProcess.run(dir, "", "--version")) {
        assertThat(p.exitCode()).as(p.toString()).isZero();
        assertThat(p.stdout()).contains("Millrace ");
      }
    } finally {
      Files.write(archive, good);
    }
  }
}
