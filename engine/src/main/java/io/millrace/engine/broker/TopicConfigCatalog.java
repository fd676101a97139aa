package io.millrace.engine.broker;

import io.millrace.engine.config.BrokerConfig;
import io.millrace.engine.log.LogConfig;
import io.millrace.engine.metadata.TopicConfigRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * Topic configs as clients see them: validation of overrides (for the controller) and the
 * effective value and source of every key (for DescribeConfigs and CreateTopics). The value of a
 * key comes from the topic's override, else the broker's {@code log.*} default, else Kafka's
 * default. Immutable and thread-safe.
 */
public final class TopicConfigCatalog implements TopicConfigRules {

  /** One described config. */
  public record Entry(String name, String value, ConfigSource source, ConfigType type, String documentation,
      List<Synonym> synonyms) {}

  /** Where a value could come from, most specific first. */
  public record Synonym(String name, String value, ConfigSource source) {}

  private final BrokerConfig broker;

  public TopicConfigCatalog(BrokerConfig broker) {
    this.broker = broker;
  }

  @Override
  public String validate(Map<String, String> overrides) {
    for (String key : overrides.keySet()) {
      if (!LogConfig.CONFIG_DEF.names().contains(key)) {
        return "Unknown topic config name: " + key;
      }
    }
    try {
      LogConfig.fromBrokerAndTopic(broker.logDefaults(), overrides);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  @Override
  public boolean isList(String key) {
    ConfigKey k = LogConfig.CONFIG_DEF.configKeys().get(key);
    return k != null && k.type == ConfigDef.Type.LIST;
  }

  @Override
  public String defaultValue(String key) {
    return format(effective(Map.of()).values().get(key));
  }

  /** The effective config of a topic with these overrides. */
  public LogConfig effective(Map<String, String> overrides) {
    return LogConfig.fromBrokerAndTopic(broker.logDefaults(), overrides);
  }

  /** Every public topic config key, described (internal, test-only keys are left out, as in Kafka). */
  public List<Entry> describe(Map<String, String> overrides) {
    Map<String, Object> values = effective(overrides).values();
    List<Entry> out = new ArrayList<>();
    for (ConfigKey key : LogConfig.CONFIG_DEF.configKeys().values()) {
      if (key.internalConfig) {
        continue;
      }
      List<Synonym> synonyms = new ArrayList<>();
      String override = overrides.get(key.name);
      if (override != null) {
        synonyms.add(new Synonym(key.name, override, ConfigSource.TOPIC_CONFIG));
      }
      for (Map.Entry<String, String> b : LogConfig.brokerDefaultKeys().entrySet()) {
        if (b.getValue().equals(key.name) && broker.isSet(b.getKey())) {
          synonyms.add(new Synonym(b.getKey(), format(broker.parsedValues().get(b.getKey())),
              ConfigSource.STATIC_BROKER_CONFIG));
        }
      }
      synonyms.add(new Synonym(key.name, format(key.defaultValue), ConfigSource.DEFAULT_CONFIG));
      out.add(new Entry(key.name, format(values.get(key.name)), synonyms.get(0).source(), typeOf(key.type),
          key.documentation, synonyms));
    }
    return out;
  }

  /** A value as the wire carries it: lists comma-separated, null as null. */
  public static String format(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    if (value instanceof org.apache.kafka.common.config.types.Password) {
      return null;
    }
    return String.valueOf(value);
  }

  public static ConfigType typeOf(ConfigDef.Type type) {
    return switch (type) {
      case BOOLEAN -> ConfigType.BOOLEAN;
      case STRING -> ConfigType.STRING;
      case INT -> ConfigType.INT;
      case SHORT -> ConfigType.SHORT;
      case LONG -> ConfigType.LONG;
      case DOUBLE -> ConfigType.DOUBLE;
      case LIST -> ConfigType.LIST;
      case CLASS -> ConfigType.CLASS;
      case PASSWORD -> ConfigType.PASSWORD;
    };
  }
}
