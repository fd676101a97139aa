package io.millrace.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar runtime/target/millrace.jar broker ...} as a child process, for restart tests. */
final class BrokerProcess implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private final Path logFile;
  private Process process;

  BrokerProcess(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    this.logFile = dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  Path logFile() {
    return logFile;
  }

  /** Starts the broker and waits until its port accepts connections. */
  void start() throws Exception {
    Path jar = Path.of("target", "millrace.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run through `mvn verify` (package builds it)");
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar.toString(), "broker",
        "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
        "--override", "log.dirs=" + dataDir,
        "--override", "num.network.threads=1",
        "--override", "metrics.port=0"));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("broker exited with " + process.exitValue() + "; see " + logFile
            + ":\n" + Files.readString(logFile));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
        process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException("broker did not listen on " + port + " within 60 s; see " + logFile);
  }

  /** SIGTERM, and waits for the clean shutdown to finish. Returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("broker did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  String log() throws IOException {
    return Files.readString(logFile);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
