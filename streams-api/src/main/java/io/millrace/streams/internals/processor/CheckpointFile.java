package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.StreamsException;
import java.io.BufferedWriter;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A task's changelog checkpoint: for each changelog partition, the offset to resume restoring
 * from (one past the last record the local stores hold). Kafka's text layout:
 *
 * <pre>
 * 0                       version
 * 2                       number of entries
 * app-counts-changelog 3 1742    topic partition offset
 * app-other-changelog 3 17
 * </pre>
 *
 * Written to a temporary file, fsynced and renamed, so a crash leaves the old or the new one.
 *
 * <p>Not thread-safe: used by its task's thread (writes are atomic renames, so a crash leaves the
 * old or the new file).
 */
public final class CheckpointFile {
  private static final int VERSION = 0;
  private final File file;

  public CheckpointFile(File file) {
    this.file = file;
  }

  public Map<TopicPartition, Long> read() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (!file.exists()) {
      return offsets;
    }
    try {
      List<String> lines = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
      if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
        throw new StreamsException("Unknown checkpoint format in " + file);
      }
      int n = Integer.parseInt(lines.get(1).trim());
      if (lines.size() < 2 + n) {
        throw new StreamsException("Checkpoint " + file + " is truncated");
      }
      for (int i = 0; i < n; i++) {
        String[] parts = lines.get(2 + i).trim().split(" ");
        if (parts.length != 3) {
          throw new StreamsException("Bad line " + (i + 3) + " in checkpoint " + file);
        }
        offsets.put(
            new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
      }
      return offsets;
    } catch (IOException | NumberFormatException e) {
      throw new StreamsException("Cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(Map<TopicPartition, Long> offsets) {
    File tmp = new File(file.getPath() + ".tmp");
    try (FileOutputStream out = new FileOutputStream(tmp);
        BufferedWriter w =
            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      w.write(VERSION + "\n" + offsets.size() + "\n");
      for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
        w.write(e.getKey().topic() + " " + e.getKey().partition() + " " + e.getValue() + "\n");
      }
      w.flush();
      out.getFD().sync();
    } catch (IOException e) {
      throw new StreamsException("Cannot write checkpoint " + tmp + ": " + e.getMessage(), e);
    }
    try {
      Files.move(
          tmp.toPath(),
          file.toPath(),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StreamsException("Cannot replace checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  public void delete() {
    try {
      Files.deleteIfExists(file.toPath());
    } catch (IOException e) {
      throw new StreamsException("Cannot delete checkpoint " + file, e);
    }
  }
}
