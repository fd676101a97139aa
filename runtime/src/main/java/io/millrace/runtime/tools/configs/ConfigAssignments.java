package io.millrace.runtime.tools.configs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --add-config} syntax of Kafka's configs tool: {@code k1=v1,k2=[a,b,c],k3=v3}.
 * Commas separate assignments except inside square brackets, whose content is the value (a
 * list, kept comma-separated as Kafka list configs expect).
 */
final class ConfigAssignments {

  private ConfigAssignments() {}

  /** @throws IllegalArgumentException naming the assignment that is not {@code key=value} */
  static Map<String, String> parse(String text) {
    Map<String, String> configs = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return configs;
    }
    for (String assignment : splitOutsideBrackets(text)) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid --add-config entry '" + assignment + "': expected key=value");
      }
      String key = assignment.substring(0, eq).trim();
      String value = assignment.substring(eq + 1).trim();
      if (value.startsWith("[") && value.endsWith("]")) {
        value = value.substring(1, value.length() - 1);
      }
      configs.put(key, value);
    }
    return configs;
  }

  /** {@code k1,k2} of {@code --delete-config}. */
  static List<String> names(String text) {
    List<String> names = new ArrayList<>();
    if (text != null) {
      for (String n : text.split(",")) {
        if (!n.isBlank()) {
          names.add(n.trim());
        }
      }
    }
    return names;
  }

  private static List<String> splitOutsideBrackets(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth = Math.max(0, depth - 1);
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("invalid --add-config '" + text + "': unbalanced square brackets");
    }
    parts.add(current.toString());
    parts.removeIf(String::isBlank);
    return parts;
  }
}
