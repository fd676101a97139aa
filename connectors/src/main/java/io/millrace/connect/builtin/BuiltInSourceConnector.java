package io.millrace.connect.builtin;

import io.millrace.connect.Version;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * What the built-in source connectors share: Millrace's version, a {@link ConfigDef} that
 * {@link #start} checks the config against, and task configs that are copies of the
 * connector's config, divided as a {@link TaskSplit} says. A subclass names its definition,
 * task class and split, and overrides what it does differently ({@code start} to look
 * something up, {@code taskConfigs} to divide its work, {@code validate} for rules between
 * keys). {@link BuiltInSinkConnector} is its twin for sinks.
 *
 * <p>Like every connector, driven by one thread at a time (the worker's herder).
 */
public abstract class BuiltInSourceConnector extends SourceConnector {
  private final ConnectorSettings settings;

  protected BuiltInSourceConnector(ConfigDef definition, Class<? extends Task> taskClass,
      TaskSplit split) {
    this.settings = new ConnectorSettings(definition, taskClass, split);
  }

  @Override
  public final String version() {
    return Version.get();
  }

  /** Keeps {@code props} once they are valid; throws a {@code ConfigException} otherwise. */
  @Override
  public void start(Map<String, String> props) {
    settings.accept(props);
  }

  /** The config {@link #start} accepted. */
  protected final Map<String, String> props() {
    return settings.props();
  }

  @Override
  public final Class<? extends Task> taskClass() {
    return settings.taskClass;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return settings.taskConfigs(maxTasks);
  }

  @Override
  public void stop() {}

  @Override
  public final ConfigDef config() {
    return settings.definition;
  }
}
