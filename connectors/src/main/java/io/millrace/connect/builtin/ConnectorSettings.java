package io.millrace.connect.builtin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * The part of {@link BuiltInSourceConnector} and {@link BuiltInSinkConnector} that does not
 * depend on the kind of connector (Java gives the two no common base of ours: they extend
 * Kafka Connect's {@code SourceConnector} and {@code SinkConnector}): the definition a config is
 * checked against, the task class, how work is split, and the config last accepted.
 *
 * <p>Driven by one thread at a time, as its connector is.
 */
final class ConnectorSettings {
  final ConfigDef definition;
  final Class<? extends Task> taskClass;
  private final TaskSplit split;
  private Map<String, String> props = Map.of();

  ConnectorSettings(ConfigDef definition, Class<? extends Task> taskClass, TaskSplit split) {
    this.definition = definition;
    this.taskClass = taskClass;
    this.split = split;
  }

  /** Keeps {@code props} once they are valid; throws a {@code ConfigException} otherwise. */
  void accept(Map<String, String> props) {
    new AbstractConfig(definition, props);
    this.props = Collections.unmodifiableMap(new LinkedHashMap<>(props));
  }

  Map<String, String> props() {
    return props;
  }

  List<Map<String, String>> taskConfigs(int maxTasks) {
    return split.taskConfigs(props, maxTasks);
  }
}
