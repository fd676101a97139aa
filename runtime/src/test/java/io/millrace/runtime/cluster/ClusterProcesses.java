package io.millrace.runtime.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/**
 * Clustered brokers as separate processes ({@code java -jar runtime/target/millrace.jar broker
 * --cluster ...}) on 127.0.0.1, each with fixed ports (kept across restarts, so clients'
 * bootstrap lists stay valid) and a data dir under {@code root}; for kill -9, SIGSTOP and full
 * restart tests. Output goes to {@code target/cluster-logs/<cluster name>/broker-<id>.log}.
 */
final class ClusterProcesses implements AutoCloseable {

  private final Path root;
  private final String name = "proc-" + UUID.randomUUID();
  private final Map<Integer, Integer> kafkaPorts = new LinkedHashMap<>();
  private final Map<Integer, Integer> clusterPorts = new LinkedHashMap<>();
  private final Map<Integer, Process> processes = new LinkedHashMap<>();
  private final List<String> extra;

  ClusterProcesses(Path root, int size, List<String> extraOverrides) throws IOException {
    this.root = root;
    this.extra = List.copyOf(extraOverrides);
    for (int id = 1; id <= size; id++) {
      kafkaPorts.put(id, freePort());
      clusterPorts.put(id, freePort());
    }
  }

  String bootstrap() {
    return kafkaPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  String bootstrap(int id) {
    return "127.0.0.1:" + kafkaPorts.get(id);
  }

  Path dataDir(int id) {
    return root.resolve("broker-" + id);
  }

  /** The broker's output, kept under {@code target/cluster-logs} after the test. */
  Path logFile(int id) {
    Path dir = Path.of("target", "cluster-logs", name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return dir.resolve("broker-" + id + ".log");
  }

  /** Starts every broker at once and waits until each listens. */
  void startAll() {
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (int id : kafkaPorts.keySet()) {
      starting.add(CompletableFuture.runAsync(() -> start(id)));
    }
    starting.forEach(CompletableFuture::join);
    awaitRegistered(Duration.ofSeconds(90));
  }

  /**
   * Waits until the cluster's metadata names every broker: a broker listens before the controller
   * has its registration, and a topic with replication factor N created in between fails with
   * INVALID_REPLICATION_FACTOR.
   */
  private void awaitRegistered(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int registered = 0;
    try (Admin admin = Admin.create(ClusterFaultIT.adminProps(bootstrap()))) {
      while (System.nanoTime() < deadline) {
        try {
          registered = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
          if (registered == kafkaPorts.size()) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
          // no controller or metadata yet: ask again
        }
        Thread.sleep(100); // polling interval of the condition, bounded by the deadline above
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    throw new IllegalStateException(registered + " of " + kafkaPorts.size() + " brokers registered within "
        + timeout + "; see the logs in " + logFile(kafkaPorts.keySet().iterator().next()).getParent());
  }

  /** Starts broker {@code id} and waits until its Kafka port accepts connections. */
  synchronized void launch(int id) throws IOException {
    Path jar = Path.of("target", "millrace.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run through `mvn verify` (package builds it)");
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "broker", "--cluster",
        "--override", "node.id=" + id,
        "--override", "listeners=PLAINTEXT://127.0.0.1:" + kafkaPorts.get(id),
        "--override", "log.dirs=" + dataDir(id),
        "--override", "num.network.threads=1",
        "--override", "metrics.port=-1",
        "--override", "cluster.name=" + name,
        "--override", "cluster.host=127.0.0.1",
        "--override", "cluster.port=" + clusterPorts.get(id),
        "--override", "cluster.join=" + clusterPorts.values().stream().map(p -> "127.0.0.1:" + p)
            .collect(Collectors.joining(",")),
        "--override", "cluster.member.timeout.seconds=4",
        "--override", "cluster.controller.request.timeout.ms=5000",
        "--override", "replica.lag.time.max.ms=10000",
        "--override", "offsets.topic.num.partitions=3",
        "--override", "group.initial.rebalance.delay.ms=0"));
    for (String o : extra) {
      cmd.add("--override");
      cmd.add(o);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile())).start();
    processes.put(id, p);
  }

  void start(int id) {
    try {
      launch(id);
      awaitListening(id, Duration.ofSeconds(90));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start broker " + id, e);
    }
  }

  private void awaitListening(int id, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Process p;
    synchronized (this) {
      p = processes.get(id);
    }
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("broker " + id + " exited with " + p.exitValue() + "; see " + logFile(id));
      }
      try (Socket s = new Socket("127.0.0.1", kafkaPorts.get(id))) {
        return;
      } catch (IOException notYet) {
        try {
          p.waitFor(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException("broker " + id + " did not listen within " + timeout + "; see " + logFile(id));
  }

  /** SIGKILL: no shutdown hook, no goodbye. */
  void kill(int id) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = processes.remove(id);
    }
    if (p != null) {
      p.destroyForcibly().waitFor();
    }
  }

  /** SIGTERM and wait for the clean stop (controlled shutdown first). */
  void stop(int id) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = processes.remove(id);
    }
    if (p != null) {
      p.destroy();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException("broker " + id + " did not stop within 90 s of SIGTERM");
      }
    }
  }

  /** SIGSTOP: the process stays, silent; its sockets stay open. */
  void pause(int id) throws IOException, InterruptedException {
    signal(id, "-STOP");
  }

  /** SIGCONT. */
  void resume(int id) throws IOException, InterruptedException {
    signal(id, "-CONT");
  }

  private void signal(int id, String signal) throws IOException, InterruptedException {
    Process p;
    synchronized (this) {
      p = processes.get(id);
    }
    int exit = new ProcessBuilder("kill", signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kill " + signal + " " + p.pid() + " exited with " + exit);
    }
  }

  synchronized boolean isRunning(int id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  /**
   * Waits until broker {@code id}'s output has one more line containing {@code text} than
   * {@code before} (its count when the broker was started).
   */
  void awaitLogLine(int id, String text, long before, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(id, text) <= before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("broker " + id + " did not log '" + text + "' within " + timeout + "; see " + logFile(id));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  long count(int id, String text) throws IOException {
    return log(id).lines().filter(l -> l.contains(text)).count();
  }

  String log(int id) throws IOException {
    return Files.exists(logFile(id)) ? Files.readString(logFile(id)) : "";
  }

  @Override
  public void close() throws InterruptedException {
    List<Integer> ids;
    synchronized (this) {
      ids = List.copyOf(processes.keySet());
    }
    for (int id : ids) {
      try {
        resume(id);
      } catch (IOException | RuntimeException e) {
        // not paused, or gone
      }
      kill(id);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
