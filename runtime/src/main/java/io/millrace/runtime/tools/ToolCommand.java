package io.millrace.runtime.tools;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The base of every command-line tool: standard streams that tests can replace, and one way to
 * fail. A tool's {@link #run()} returns its exit status or throws; a {@link ToolException} or a
 * Kafka error becomes {@code Error: <message>} on stderr and status 1, a {@link ParameterException}
 * (a command line that makes no sense) picocli's usage message and status 2. No stack traces for
 * expected failures: the full trace is logged at DEBUG.
 *
 * <p>Not thread-safe; one instance runs one command line.
 */
public abstract class ToolCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ToolCommand.class);

  @Spec protected CommandSpec spec;

  private InputStream in = System.in;
  private PrintStream out = System.out;
  private PrintStream err = System.err;
  private Boolean terminal;

  /**
   * Replaces the standard streams (for tests, and for programs that embed the tools). Progress
   * lines are then off: they are for terminals only.
   */
  public final void redirect(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.terminal = false;
  }

  protected final InputStream in() {
    return in;
  }

  protected final PrintStream out() {
    return out;
  }

  protected final PrintStream err() {
    return err;
  }

  /** True when a person is watching: stdin and stdout are a terminal and the streams are the real ones. */
  protected final boolean onTerminal() {
    return terminal != null ? terminal : System.console() != null;
  }

  @Override
  public final Integer call() {
    try {
      return run();
    } catch (ParameterException e) {
      throw e;
    } catch (ToolException e) {
      err.println("Error: " + e.getMessage());
      log.debug("{} failed", spec.qualifiedName(), e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Error: interrupted");
      return 1;
    } catch (Exception e) {
      err.println("Error: " + KafkaFailures.describe(e, bootstrapServersForMessages()));
      log.debug("{} failed", spec.qualifiedName(), e);
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The tool's work; returns the exit status (0 when all went well). */
  protected abstract int run() throws Exception;

  /** Where the tool connects, for error messages; null when it does not. */
  protected String bootstrapServersForMessages() {
    return null;
  }

  /** A usage error: picocli prints the message and the usage, and the exit status is 2. */
  protected final ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
