package io.millrace.connect.file;

import io.millrace.connect.builtin.BuiltInSourceConnector;
import io.millrace.connect.builtin.TaskSplit;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.source.ExactlyOnceSupport;

/**
 * Tails a text file into a topic, one record per line (a {@code STRING} value, no key). The
 * offset is the byte position after the last line sent, so a restart resumes with no gap and
 * no duplicate. A file that shrinks (truncated) is read again from the start; a file replaced
 * by a new one (rotated: another inode) is read from the start once the old one is finished.
 * One task.
 */
public final class FileStreamSourceConnector extends BuiltInSourceConnector {
  public static final String FILE = "file";
  public static final String TOPIC = "topic";
  public static final String BATCH_SIZE = "batch.size";
  public static final String POLL_INTERVAL_MS = "poll.interval.ms";

  static final ConfigDef CONFIG = new ConfigDef()
      .define(FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Path of the file to tail.")
      .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic the lines go to.")
      .define(BATCH_SIZE, Type.INT, 2000, Range.atLeast(1), Importance.LOW,
          "Most lines returned by one poll.")
      .define(POLL_INTERVAL_MS, Type.LONG, 500L, Range.atLeast(1), Importance.LOW,
          "How long a poll waits for new lines when the file has none.");

  public FileStreamSourceConnector() {
    super(CONFIG, FileStreamSourceTask.class, TaskSplit.SINGLE);
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> props) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  @Override
  public boolean alterOffsets(Map<String, String> config,
      Map<Map<String, ?>, Map<String, ?>> offsets) {
    for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
      if (!(e.getKey().get(FileStreamSourceTask.FILENAME) instanceof String)) {
        throw new org.apache.kafka.connect.errors.ConnectException(
            "A partition must be {\"filename\": PATH}");
      }
      Map<String, ?> o = e.getValue();
      if (o != null && !(o.get(FileStreamSourceTask.POSITION) instanceof Number n
          && n.longValue() >= 0)) {
        throw new org.apache.kafka.connect.errors.ConnectException(
            "An offset must be {\"position\": N} with N >= 0");
      }
    }
    return true;
  }
}
