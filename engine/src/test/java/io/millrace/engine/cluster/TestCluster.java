package io.millrace.engine.cluster;

import io.millrace.engine.Broker;
import io.millrace.engine.metadata.MetadataImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;

/**
 * Several clustered brokers in one JVM, each with its own Vert.x instance, Hazelcast member,
 * ports and data dir, on 127.0.0.1, in a cluster with a name of its own. Brokers start in
 * parallel (each waits for the controller, which needs the CP members). Closing removes the data.
 */
public final class TestCluster implements AutoCloseable {

  private final Path root;
  private final String name = "test-" + UUID.randomUUID();
  private final Map<Integer, Integer> clusterPorts = new LinkedHashMap<>();
  private final Map<Integer, Broker> brokers = new ConcurrentHashMap<>();
  private final Map<String, String> overrides;

  public TestCluster(int size, Map<String, String> overrides) {
    this.overrides = overrides;
    try {
      root = Files.createTempDirectory("millrace-cluster-");
      for (int id = 1; id <= size; id++) {
        clusterPorts.put(id, freePort());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a cluster of {@code size} brokers (ids 1..size) and waits until every one serves. */
  public static TestCluster start(int size, Map<String, String> overrides) {
    TestCluster cluster = new TestCluster(size, overrides);
    try {
      cluster.startAll();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public void startAll() {
    List<CompletableFuture<Broker>> starting = new ArrayList<>();
    for (int id : clusterPorts.keySet()) {
      starting.add(startAsync(id));
    }
    starting.forEach(CompletableFuture::join);
  }

  public CompletableFuture<Broker> startAsync(int id) {
    return CompletableFuture.supplyAsync(() -> startBroker(id));
  }

  /** Starts (or restarts) broker {@code id} with its data dir and waits until it serves. */
  public Broker startBroker(int id) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("node.id", String.valueOf(id));
    props.put("listeners", "PLAINTEXT://127.0.0.1:0");
    props.put("log.dirs", root.resolve("broker-" + id).toString());
    props.put("num.network.threads", "1");
    props.put("metrics.port", "-1");
    props.put("cluster.enabled", "true");
    props.put("cluster.name", name);
    props.put("cluster.host", "127.0.0.1");
    props.put("cluster.port", String.valueOf(clusterPorts.get(id)));
    props.put("cluster.join", clusterPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    props.put("cluster.controller.request.timeout.ms", "5000");
    props.put("cluster.member.timeout.seconds", "4");
    props.put("replica.lag.time.max.ms", "5000");
    props.putAll(overrides);
    Broker broker = Broker.start(props);
    brokers.put(id, broker);
    return broker;
  }

  public Broker broker(int id) {
    Broker b = brokers.get(id);
    if (b == null) {
      throw new IllegalArgumentException("broker " + id + " is not running");
    }
    return b;
  }

  public Map<Integer, Broker> running() {
    return Map.copyOf(brokers);
  }

  public Path dataDir(int id) {
    return root.resolve("broker-" + id);
  }

  /** A bootstrap list with every running broker. */
  public String bootstrapServers() {
    return brokers.values().stream().map(Broker::bootstrapServers).collect(Collectors.joining(","));
  }

  /** Stops broker {@code id} cleanly (controlled shutdown). */
  public void stop(int id) {
    Broker b = brokers.remove(id);
    if (b != null) {
      b.close();
    }
  }

  /** Crashes broker {@code id}: it leaves without a goodbye. */
  public void crash(int id) {
    Broker b = brokers.remove(id);
    if (b != null) {
      b.crash();
    }
  }

  /** The id of the broker that is the active controller, as broker {@code observer} sees it, or -1. */
  public int controllerId() {
    for (Broker b : brokers.values()) {
      MetadataImage image = b.metadata();
      if (image != null && image.controllerId() >= 0 && brokers.containsKey(image.controllerId())) {
        return image.controllerId();
      }
    }
    return -1;
  }

  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    await(what, timeout, condition, () -> "");
  }

  public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        Assertions.fail("timed out after " + timeout + " waiting for " + what + "; " + state.get());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Override
  public void close() {
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    for (Integer id : List.copyOf(brokers.keySet())) {
      Broker b = brokers.remove(id);
      stopping.add(CompletableFuture.runAsync(() -> {
        try {
          b.crash();
        } catch (RuntimeException e) {
          // closing anyway
        }
      }));
    }
    stopping.forEach(CompletableFuture::join);
    deleteRecursively(root);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) {
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
