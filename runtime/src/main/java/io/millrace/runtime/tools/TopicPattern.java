package io.millrace.runtime.tools;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A topic name or regular expression as Kafka's tools read one ({@code --topic} of
 * {@code topics --describe/--alter/--delete}, {@code --include} of the console consumer): commas
 * mean "or", blanks and surrounding quotes are dropped, and a topic matches when the whole name
 * matches.
 */
public final class TopicPattern {

  private final String raw;
  private final Pattern pattern;

  private TopicPattern(String raw, Pattern pattern) {
    this.raw = raw;
    this.pattern = pattern;
  }

  /** @throws ToolException when the expression is not a valid regular expression */
  public static TopicPattern compile(String raw) {
    String regex = raw.trim().replace(',', '|').replace(" ", "")
        .replaceAll("^[\"']+", "").replaceAll("[\"']+$", "");
    try {
      return new TopicPattern(raw, Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      throw new ToolException("'" + raw + "' is not a valid regular expression: " + e.getDescription()
          + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
    }
  }

  public boolean matches(String topic) {
    return pattern.matcher(topic).matches();
  }

  public Pattern pattern() {
    return pattern;
  }

  @Override
  public String toString() {
    return raw;
  }
}
