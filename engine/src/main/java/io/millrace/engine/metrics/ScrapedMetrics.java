package io.millrace.engine.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scrape of a {@code /metrics} endpoint, parsed: the samples of Prometheus's text format 0.0.4
 * (and OpenMetrics text, whose samples read the same). For tests and tools that check what a
 * process publishes; not a full parser of every corner of the format (exemplars and timestamps
 * are skipped). Immutable and thread-safe.
 */
public final class ScrapedMetrics {

  /** One sample: a series name, its labels and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      Objects.requireNonNull(name, "name");
      labels = Map.copyOf(labels);
    }

    /** True when every given label has the given value ({@code "topic", "orders", ...}). */
    public boolean matches(String... labelPairs) {
      if (labelPairs.length % 2 != 0) {
        throw new IllegalArgumentException("labels come in name, value pairs");
      }
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Sample> samples;

  private ScrapedMetrics(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /**
   * Parses a scrape.
   *
   * @throws IllegalArgumentException naming the line that is not a sample
   */
  public static ScrapedMetrics parse(String text) {
    List<Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        out.add(parseSample(l));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + lineNo + " is not a sample (" + e.getMessage() + "): " + line, e);
      }
    }
    return new ScrapedMetrics(out);
  }

  private static Sample parseSample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("no series name");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = parseLabels(line, i + 1, labels);
    }
    String rest = line.substring(i).strip();
    int space = rest.indexOf(' ');
    String value = space < 0 ? rest : rest.substring(0, space);
    return new Sample(name, labels, parseValue(value));
  }

  /** Parses {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
  private static int parseLabels(String line, int i, Map<String, String> labels) {
    while (true) {
      while (line.charAt(i) == ' ' || line.charAt(i) == ',') {
        i++;
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).strip();
      if (line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("label " + key + " has no quoted value");
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char next = line.charAt(++j);
          v.append(next == 'n' ? '\n' : next);
        } else {
          v.append(c);
        }
      }
      labels.put(key, v.toString());
      i = j + 1;
    }
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Every series name, sorted. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  /** The samples of {@code name} whose labels match. */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && s.matches(labelPairs)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The value of the one sample of {@code name} whose labels match, if there is exactly one. */
  public OptionalDouble value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples of " + name + " match; name more labels");
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  /** The sum of the samples of {@code name} whose labels match (0 if none). */
  public double sum(String name, String... labelPairs) {
    double total = 0;
    for (Sample s : find(name, labelPairs)) {
      total += s.value();
    }
    return total;
  }
}
