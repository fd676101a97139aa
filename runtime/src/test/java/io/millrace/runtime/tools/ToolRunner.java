package io.millrace.runtime.tools;

import io.millrace.runtime.Millrace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs a tool in this JVM through {@link Millrace#commandLine()} with captured streams. */
public final class ToolRunner {

  /** What a run printed and its exit status. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private ToolRunner() {}

  public static Result run(String... args) {
    return runWithInput(new ByteArrayInputStream(new byte[0]), args);
  }

  public static Result runWithInput(String stdin, String... args) {
    return runWithInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
  }

  public static Result runWithInput(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine cl = Millrace.commandLine();
    cl.setOut(new PrintWriter(outStream, true));
    cl.setErr(new PrintWriter(errStream, true));
    redirect(cl, stdin, outStream, errStream);
    int code = cl.execute(args);
    outStream.flush();
    errStream.flush();
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void redirect(CommandLine cl, InputStream in, PrintStream out, PrintStream err) {
    if (cl.getCommand() instanceof ToolCommand tool) {
      tool.redirect(in, out, err);
    }
    cl.getSubcommands().values().forEach(sub -> redirect(sub, in, out, err));
  }
}
