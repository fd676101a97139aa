package io.millrace.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker for tests and tools in the same JVM: one node on 127.0.0.1 with an ephemeral port and
 * its data in a fresh temporary directory, removed by {@link #close()}.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(Map.of("num.partitions", "3"))) {
 *   props.put("bootstrap.servers", broker.bootstrapServers());
 *   ...
 * }
 * }</pre>
 *
 * Overrides use Kafka's broker config names. Thread-safe.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private final Path dataDir;
  private final Broker broker;

  private EmbeddedBroker(Path dataDir, Broker broker) {
    this.dataDir = dataDir;
    this.broker = broker;
  }

  /** A broker with the defaults (and a small footprint: one listener instance). */
  public static EmbeddedBroker start() {
    return start(Map.of());
  }

  /**
   * Starts a broker with these overrides over the embedded defaults
   * ({@code listeners=PLAINTEXT://127.0.0.1:0}, {@code log.dirs=<temp dir>}, {@code node.id=1},
   * {@code num.network.threads=1}, {@code metrics.port=-1}: no metrics endpoint, though the series
   * are kept; set {@code metrics.port=0} for one on a free port); blocks until it serves requests.
   */
  public static EmbeddedBroker start(Map<String, String> overrides) {
    Path dir;
    try {
      dir = Files.createTempDirectory("millrace-embedded-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data dir", e);
    }
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("node.id", "1");
    props.put("listeners", "PLAINTEXT://127.0.0.1:0");
    props.put("log.dirs", dir.toString());
    props.put("num.network.threads", "1");
    props.put("metrics.port", "-1");
    props.putAll(overrides);
    try {
      return new EmbeddedBroker(dir, Broker.start(props));
    } catch (RuntimeException e) {
      deleteRecursively(dir);
      throw e;
    }
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The broker itself. */
  public Broker broker() {
    return broker;
  }

  /** The broker's data directory (deleted by {@link #close()}). */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    try {
      broker.close();
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
