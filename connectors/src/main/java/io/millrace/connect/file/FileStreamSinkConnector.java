package io.millrace.connect.file;

import io.millrace.connect.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Appends each record's value to a file, one line per record ({@code toString()} of the
 * value; null values write an empty line). Flushed and synced to disk at every offset commit,
 * so what is committed is on disk. One task per file.
 */
public final class FileStreamSinkConnector extends SinkConnector {
  public static final String FILE = "file";

  static final ConfigDef CONFIG = new ConfigDef()
      .define(FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Path of the file to append to (created if missing).");

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new AbstractConfig(CONFIG, props);
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return FileStreamSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(props);
    return out;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return CONFIG;
  }

  @Override
  public boolean alterOffsets(Map<String, String> config,
      Map<org.apache.kafka.common.TopicPartition, Long> offsets) {
    return true;
  }
}
