package io.millrace.engine.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high watermarks of a log dir's partitions, in Kafka's {@code replication-offset-checkpoint}:
 *
 * <pre>
 *   0                      version
 *   2                      number of entries
 *   orders 0 1234          topic partition high-watermark
 *   orders 1 980
 * </pre>
 *
 * A restarted broker starts each log's high watermark there (never above its log end) instead of
 * at the log start: consumers of a restarted leader see committed records at once, and a follower
 * falling back to its high watermark keeps what was committed. A high watermark only ever covers
 * committed records, so an old one is merely low, never wrong. A damaged file is ignored with a
 * warning (the high watermarks start low and catch up). Blocking; not thread-safe.
 */
public final class HighWatermarkCheckpoint {

  public static final String FILE_NAME = "replication-offset-checkpoint";
  private static final Logger log = LoggerFactory.getLogger(HighWatermarkCheckpoint.class);

  private HighWatermarkCheckpoint() {}

  /** The checkpointed high watermarks of {@code logDir}, empty if none or damaged. */
  public static Map<TopicPartition, Long> read(Path logDir) {
    Path file = logDir.resolve(FILE_NAME);
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() < 2 || !lines.get(0).trim().equals("0")) {
        throw new IOException("unexpected header " + lines);
      }
      int count = Integer.parseInt(lines.get(1).trim());
      if (lines.size() != count + 2) {
        throw new IOException(count + " entries announced, " + (lines.size() - 2) + " present");
      }
      for (int i = 2; i < lines.size(); i++) {
        String[] words = lines.get(i).trim().split(" ");
        if (words.length != 3) {
          throw new IOException("malformed line '" + lines.get(i) + "'");
        }
        out.put(new TopicPartition(words[0], Integer.parseInt(words[1])), Long.parseLong(words[2]));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      log.warn("Ignoring the damaged high watermark checkpoint {}: {}", file, e.getMessage());
      return new LinkedHashMap<>();
    }
  }

  /** Replaces the checkpoint of {@code logDir} (temp file, fsync, rename). */
  public static void write(Path logDir, Map<TopicPartition, Long> highWatermarks) throws IOException {
    StringBuilder text = new StringBuilder("0\n").append(highWatermarks.size()).append('\n');
    highWatermarks.forEach((tp, hw) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
        .append(hw).append('\n'));
    Path tmp = logDir.resolve(FILE_NAME + ".tmp");
    Files.write(tmp, text.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    try {
      Files.move(tmp, logDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, logDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
