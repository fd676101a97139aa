package io.millrace.connect.testing;

import io.millrace.connect.ConnectWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connect worker in its own JVM, so a test can kill it with SIGKILL like a crashed machine.
 * {@link #main} runs the worker; {@link #start} launches one with the test's class path and
 * waits until its REST API answers.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("READY (\\d+)");
  private final Process process;
  private final int port;

  private WorkerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Runs a worker with k=v arguments until stdin closes. */
  public static void main(String[] args) throws IOException {
    Map<String, String> props = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      props.put(a.substring(0, eq), a.substring(eq + 1));
    }
    ConnectWorker w = ConnectWorker.start(props);
    System.out.println("READY " + w.restPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to close stdin
    }
    w.close();
  }

  public static WorkerProcess start(Map<String, String> props, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName()));
    props.forEach((k, v) -> cmd.add(k + "=" + v));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    int[] port = new int[1];
    try {
      Await.until(Duration.ofSeconds(60), "worker process ready (log " + log + ")", () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("worker process exited; see " + log);
        }
        try {
          Matcher m = READY.matcher(Files.readString(log));
          if (m.find()) {
            port[0] = Integer.parseInt(m.group(1));
            return true;
          }
          return false;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (RuntimeException | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
    return new WorkerProcess(p, port[0]);
  }

  public int port() {
    return port;
  }

  /** SIGKILL: no offsets committed, no group left, like a machine that died. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
