package io.millrace.runtime.tools.groups;

import io.millrace.runtime.tools.ToolException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The CSV of {@code --reset-offsets --export} and {@code --from-file}, as Kafka writes it: one
 * {@code topic,partition,offset} line per partition for one group, or
 * {@code group,topic,partition,offset} when several groups are exported.
 */
final class OffsetsCsv {

  /** The key under which lines without a group column are filed: they apply to any group. */
  static final String ANY_GROUP = "";

  private OffsetsCsv() {}

  static Map<String, Map<TopicPartition, Long>> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new ToolException("offsets file " + file + " does not exist");
    } catch (IOException e) {
      throw new ToolException("cannot read offsets file " + file + ": " + e.getMessage());
    }
    Map<String, Map<TopicPartition, Long>> offsets = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 3 && f.length != 4) {
        throw new ToolException(file + " line " + (i + 1) + ": expected topic,partition,offset or "
            + "group,topic,partition,offset but got '" + line + "'");
      }
      String group = f.length == 4 ? f[0].trim() : ANY_GROUP;
      int base = f.length - 3;
      try {
        TopicPartition tp = new TopicPartition(f[base].trim(), Integer.parseInt(f[base + 1].trim()));
        offsets.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(tp, Long.parseLong(f[base + 2].trim()));
      } catch (NumberFormatException e) {
        throw new ToolException(file + " line " + (i + 1) + ": partition and offset must be numbers in '" + line + "'");
      }
    }
    return offsets;
  }

  static void write(Map<String, Map<TopicPartition, Long>> offsets, PrintStream out) {
    boolean withGroup = offsets.size() > 1;
    offsets.forEach((group, partitions) -> partitions.forEach((tp, offset) ->
        out.println((withGroup ? group + "," : "") + tp.topic() + "," + tp.partition() + "," + offset)));
  }
}
