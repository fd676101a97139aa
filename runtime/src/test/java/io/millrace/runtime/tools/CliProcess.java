package io.millrace.runtime.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/millrace ARGS...} as a child process, the way a user runs it: stdin to write to,
 * stdout read line by line as it comes, stderr kept in a file. Closing kills what is still running.
 */
public final class CliProcess implements AutoCloseable {

  /** The launcher, from the runtime module's directory (where failsafe runs). */
  public static final Path LAUNCHER = Path.of("..", "bin", "millrace").toAbsolutePath().normalize();

  private final List<String> command;
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stdout = new StringBuilder();
  private final Thread reader;

  private CliProcess(List<String> command, Path stderr) throws IOException {
    this.command = command;
    this.stderr = stderr;
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
    pb.environment().put("MILLRACE_HEAP_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    this.process = pb.start();
    this.reader = new Thread(this::readStdout, "stdout-of-" + command.get(1));
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code bin/millrace args...}; stderr goes to a file in {@code dir}. */
  public static CliProcess start(Path dir, String... args) throws IOException {
    if (!Files.exists(Path.of("target", "millrace.jar"))) {
      throw new IllegalStateException("target/millrace.jar is missing: run through `mvn verify` (package builds it)");
    }
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    return new CliProcess(command, Files.createTempFile(dir, args[0] + "-", ".err"));
  }

  /** Runs {@code bin/millrace args...} with this standard input to its end (at most a minute). */
  public static CliProcess run(Path dir, String stdin, String... args) throws Exception {
    CliProcess p = start(dir, args);
    try (OutputStream in = p.process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.awaitExit(Duration.ofSeconds(60));
    return p;
  }

  private void readStdout() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (stdout) {
          stdout.append(line).append('\n');
        }
        lines.add(line);
      }
    } catch (IOException e) {
      // The process was killed: what was read stays.
    }
  }

  /** The next line of stdout, waiting at most {@code timeout}; null if none came. */
  public String nextLine(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for the exit; kills the process and fails if it takes longer. */
  public int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not exit within " + timeout + "\n" + this);
    }
    reader.join(5_000);
    return process.exitValue();
  }

  public int exitCode() {
    return process.exitValue();
  }

  public String stdout() {
    synchronized (stdout) {
      return stdout.toString();
    }
  }

  public String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** SIGTERM (Ctrl-C's effect on the shutdown hooks), then the exit code. */
  public int stop() throws Exception {
    process.destroy();
    return awaitExit(Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public String toString() {
    try {
      return String.join(" ", command) + "\n--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    } catch (IOException e) {
      return String.join(" ", command);
    }
  }
}
