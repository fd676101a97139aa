package io.millrace.connect.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;

/**
 * Validates a connector config the way Kafka Connect does: the common keys (with those of the
 * configured transforms and predicates), then the connector's own {@code validate}. The result
 * is what {@code PUT /connector-plugins/{plugin}/config/validate} returns, and what a deploy
 * refuses with 400 when it has errors.
 */
public final class ConfigValidation {

  /** Every key's definition and validated value, in definition order. */
  public record Result(String connectorClass, List<ConfigDef.ConfigKey> keys,
      Map<String, ConfigValue> values, Set<String> groups) {

    public int errorCount() {
      int n = 0;
      for (ConfigValue v : values.values()) {
        n += v.errorMessages().size();
      }
      return n;
    }

    /** One line per error, naming the key: {@code tasks.max: Invalid value ...}. */
    public List<String> errors() {
      List<String> out = new ArrayList<>();
      for (ConfigValue v : values.values()) {
        for (String m : v.errorMessages()) {
          out.add(v.name() + ": " + m);
        }
      }
      return out;
    }

    public String message() {
      int n = errorCount();
      return "Connector configuration is invalid and contains the following " + n + " error(s):\n"
          + String.join("\n", errors())
          + "\nYou can also find the above list of errors at the endpoint "
          + "`/connector-plugins/{connectorType}/config/validate`";
    }
  }

  private ConfigValidation() {}

  public static Result validate(Plugins plugins, Map<String, String> props) {
    String cls = props.get(ConnectorConfig.CONNECTOR_CLASS);
    Connector connector = null;
    String connectorError = null;
    if (cls == null || cls.isBlank()) {
      connectorError = "Missing required configuration \"" + ConnectorConfig.CONNECTOR_CLASS
          + "\" which has no default value.";
    } else {
      try {
        connector = plugins.newConnector(cls.trim());
      } catch (ConfigException e) {
        connectorError = e.getMessage();
      }
    }
    boolean sink = connector != null && Plugins.isSink(connector);
    ConfigDef base = ConnectorConfig.enrich(plugins, ConnectorConfig.baseDef(sink), props);
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    List<ConfigDef.ConfigKey> keys = new ArrayList<>(base.configKeys().values());
    for (ConfigValue v : base.validate(props)) {
      values.put(v.name(), v);
    }
    addError(values.get(ConnectorConfig.CONNECTOR_CLASS), connectorError);
    if (sink) {
      checkTopics(props, values);
    }
    if (connector != null) {
      addConnectorValidation(connector, props, keys, values);
    }
    values.values().forEach(ConfigValidation::dropEchoes);
    Set<String> groups = new LinkedHashSet<>();
    for (ConfigDef.ConfigKey k : keys) {
      if (k.group != null) {
        groups.add(k.group);
      }
    }
    return new Result(cls == null ? null : plugins.resolve(cls.trim()), keys, values, groups);
  }

  /** The connector's own keys and what its {@code validate} says of them (and of ours). */
  private static void addConnectorValidation(Connector connector, Map<String, String> props,
      List<ConfigDef.ConfigKey> keys, Map<String, ConfigValue> values) {
    Config validated;
    try {
      validated = connector.validate(props);
    } catch (RuntimeException e) {
      addError(values.get(ConnectorConfig.CONNECTOR_CLASS),
          "The connector could not validate its config: " + e.getMessage());
      validated = new Config(List.of());
    }
    for (ConfigDef.ConfigKey k : connector.config().configKeys().values()) {
      if (!values.containsKey(k.name)) {
        keys.add(k);
      }
    }
    for (ConfigValue v : validated.configValues()) {
      ConfigValue existing = values.get(v.name());
      if (existing == null) {
        values.put(v.name(), v);
      } else {
        v.errorMessages().forEach(m -> addError(existing, m));
      }
    }
  }

  private static void addError(ConfigValue value, String message) {
    if (message != null && !value.errorMessages().contains(message)) {
      value.addErrorMessage(message);
    }
  }

  /**
   * Drops the echo of a failed parse: {@link ConfigDef#validate} runs a key's validator on
   * the null a value that could not be parsed (or is missing) leaves, which only repeats the
   * first error.
   */
  private static void dropEchoes(ConfigValue value) {
    List<String> errors = value.errorMessages();
    String echo = "Invalid value null for configuration " + value.name() + ":";
    if (errors.size() > 1 && errors.stream().anyMatch(m -> !m.startsWith(echo))) {
      errors.removeIf(m -> m.startsWith(echo));
    }
  }

  private static void checkTopics(Map<String, String> props, Map<String, ConfigValue> values) {
    String topics = props.getOrDefault(ConnectorConfig.TOPICS, "").trim();
    String regex = props.getOrDefault(ConnectorConfig.TOPICS_REGEX, "").trim();
    if (topics.isEmpty() && regex.isEmpty()) {
      values.get(ConnectorConfig.TOPICS).addErrorMessage(
          "Must configure one of " + ConnectorConfig.TOPICS + " or " + ConnectorConfig.TOPICS_REGEX);
    } else if (!topics.isEmpty() && !regex.isEmpty()) {
      values.get(ConnectorConfig.TOPICS).addErrorMessage(
          "Must configure only one of " + ConnectorConfig.TOPICS + " or "
              + ConnectorConfig.TOPICS_REGEX);
    }
    if (!regex.isEmpty()) {
      try {
        java.util.regex.Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException e) {
        values.get(ConnectorConfig.TOPICS_REGEX).addErrorMessage("Invalid regex: "
            + e.getDescription());
      }
    }
    String dlq = props.getOrDefault(ConnectorConfig.DLQ_TOPIC, "").trim();
    if (!dlq.isEmpty() && !topics.isEmpty()) {
      for (String t : topics.split(",")) {
        if (t.trim().equals(dlq)) {
          values.get(ConnectorConfig.DLQ_TOPIC).addErrorMessage(
              "The dead-letter topic cannot also be a topic the connector consumes");
        }
      }
    }
  }
}
