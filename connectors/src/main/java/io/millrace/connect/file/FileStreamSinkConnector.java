package io.millrace.connect.file;

import io.millrace.connect.builtin.BuiltInSinkConnector;
import io.millrace.connect.builtin.TaskSplit;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Appends each record's value to a file, one line per record ({@code toString()} of the
 * value; null values write an empty line). Flushed and synced to disk at every offset commit,
 * so what is committed is on disk. One task per file.
 */
public final class FileStreamSinkConnector extends BuiltInSinkConnector {
  public static final String FILE = "file";

  static final ConfigDef CONFIG = new ConfigDef()
      .define(FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Path of the file to append to (created if missing).");

  public FileStreamSinkConnector() {
    super(CONFIG, FileStreamSinkTask.class, TaskSplit.SINGLE);
  }

  @Override
  public boolean alterOffsets(Map<String, String> config,
      Map<org.apache.kafka.common.TopicPartition, Long> offsets) {
    return true;
  }
}
