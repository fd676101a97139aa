package io.millrace.connect.runtime;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * The keys every connector config has, besides the connector's own: Kafka Connect's names and
 * defaults, so configs written for Kafka Connect work unchanged.
 *
 * <p>{@link #enrich} adds the keys of the configured transforms and predicates ({@code
 * transforms.<alias>.type}, their own keys under that prefix, {@code .predicate}, {@code
 * .negate}), as Kafka Connect does, so validation covers them too.
 */
public final class ConnectorConfig extends AbstractConfig {
  public static final String NAME = "name";
  public static final String CONNECTOR_CLASS = "connector.class";
  public static final String TASKS_MAX = "tasks.max";
  public static final String KEY_CONVERTER = "key.converter";
  public static final String VALUE_CONVERTER = "value.converter";
  public static final String HEADER_CONVERTER = "header.converter";
  public static final String TRANSFORMS = "transforms";
  public static final String PREDICATES = "predicates";
  public static final String ERRORS_RETRY_TIMEOUT = "errors.retry.timeout";
  public static final String ERRORS_RETRY_DELAY_MAX_MS = "errors.retry.delay.max.ms";
  public static final String ERRORS_TOLERANCE = "errors.tolerance";
  public static final String ERRORS_LOG_ENABLE = "errors.log.enable";
  public static final String ERRORS_LOG_INCLUDE_MESSAGES = "errors.log.include.messages";
  public static final String TOPICS = "topics";
  public static final String TOPICS_REGEX = "topics.regex";
  public static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
  public static final String DLQ_REPLICATION = "errors.deadletterqueue.topic.replication.factor";
  public static final String DLQ_CONTEXT_HEADERS = "errors.deadletterqueue.context.headers.enable";

  private static final String COMMON = "Common";
  private static final String TRANSFORMS_GROUP = "Transforms";
  private static final String ERRORS = "Error Handling";

  private final boolean sink;

  /** Parses a config the caller has validated; throws {@link ConfigException} if invalid. */
  public ConnectorConfig(Plugins plugins, Map<String, String> props, boolean sink) {
    super(enrich(plugins, baseDef(sink), props), props, false);
    this.sink = sink;
  }

  public boolean sink() {
    return sink;
  }

  public String name() {
    return getString(NAME);
  }

  public int tasksMax() {
    return getInt(TASKS_MAX);
  }

  public boolean toleratesAll() {
    return getString(ERRORS_TOLERANCE).equals("all");
  }

  /** The keys every connector has; sinks add topics and the dead-letter queue. */
  public static ConfigDef baseDef(boolean sink) {
    ConfigDef def = new ConfigDef()
        .define(NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
            Importance.HIGH, "Globally unique name of the connector.", COMMON, 1,
            ConfigDef.Width.MEDIUM, "Connector name")
        .define(CONNECTOR_CLASS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
            "Class (or alias) of the connector.", COMMON, 2, ConfigDef.Width.LONG,
            "Connector class")
        .define(TASKS_MAX, Type.INT, 1, Range.atLeast(1), Importance.HIGH,
            "Most tasks the connector may run.", COMMON, 3, ConfigDef.Width.SHORT, "Tasks max")
        .define(KEY_CONVERTER, Type.STRING, null,
            Plugins.classValidator(org.apache.kafka.connect.storage.Converter.class), Importance.LOW,
            "Converter of record keys; the worker's by default.", COMMON, 4,
            ConfigDef.Width.SHORT, "Key converter")
        .define(VALUE_CONVERTER, Type.STRING, null,
            Plugins.classValidator(org.apache.kafka.connect.storage.Converter.class), Importance.LOW,
            "Converter of record values; the worker's by default.", COMMON, 5,
            ConfigDef.Width.SHORT, "Value converter")
        .define(HEADER_CONVERTER, Type.STRING, null,
            Plugins.classValidator(org.apache.kafka.connect.storage.HeaderConverter.class), Importance.LOW,
            "Converter of record headers; the worker's by default.", COMMON, 6,
            ConfigDef.Width.SHORT, "Header converter")
        .define(TRANSFORMS, Type.LIST, "", aliasesValid(), Importance.LOW,
            "Aliases of the transforms to apply, in order.", TRANSFORMS_GROUP, 1,
            ConfigDef.Width.LONG, "Transforms")
        .define(PREDICATES, Type.LIST, "", aliasesValid(), Importance.LOW,
            "Aliases of the predicates transforms may use.", TRANSFORMS_GROUP, 2,
            ConfigDef.Width.LONG, "Predicates")
        .define(ERRORS_RETRY_TIMEOUT, Type.LONG, 0L, Importance.MEDIUM,
            "How long a failed operation is retried, in ms; 0 no retries, -1 forever.", ERRORS,
            1, ConfigDef.Width.MEDIUM, "Retry timeout")
        .define(ERRORS_RETRY_DELAY_MAX_MS, Type.LONG, 60_000L, Range.atLeast(1),
            Importance.MEDIUM, "Longest wait between retries (backoff doubles up to it).",
            ERRORS, 2, ConfigDef.Width.MEDIUM, "Max retry delay")
        .define(ERRORS_TOLERANCE, Type.STRING, "none", ValidString.in("none", "all"),
            Importance.MEDIUM,
            "none: an error fails the task. all: records that fail are skipped (and sent to "
                + "the dead-letter queue of a sink).", ERRORS, 3, ConfigDef.Width.SHORT,
            "Error tolerance")
        .define(ERRORS_LOG_ENABLE, Type.BOOLEAN, false, Importance.MEDIUM,
            "Log every tolerated error.", ERRORS, 4, ConfigDef.Width.SHORT, "Log errors")
        .define(ERRORS_LOG_INCLUDE_MESSAGES, Type.BOOLEAN, false, Importance.MEDIUM,
            "Include the failed record in the log.", ERRORS, 5, ConfigDef.Width.SHORT,
            "Log records");
    return sink ? defineSinkKeys(def) : def;
  }

  /** What sinks add: the topics they consume and the dead-letter queue. */
  private static ConfigDef defineSinkKeys(ConfigDef def) {
    return def
        .define(TOPICS, Type.LIST, "", Importance.HIGH,
            "Topics to consume; this or topics.regex.", COMMON, 7, ConfigDef.Width.LONG,
            "Topics")
        .define(TOPICS_REGEX, Type.STRING, "", Importance.HIGH,
            "Pattern of topics to consume; this or topics.", COMMON, 8, ConfigDef.Width.LONG,
            "Topics regex")
        .define(DLQ_TOPIC, Type.STRING, "", Importance.MEDIUM,
            "Topic the records that fail for good go to (with errors.tolerance=all); empty "
                + "means none.", ERRORS, 6, ConfigDef.Width.MEDIUM, "Dead letter topic")
        .define(DLQ_REPLICATION, Type.SHORT, (short) -1, Importance.LOW,
            "Replication factor of the dead-letter topic when created; -1 is the broker's "
                + "default.", ERRORS, 7, ConfigDef.Width.SHORT, "DLQ replication")
        .define(DLQ_CONTEXT_HEADERS, Type.BOOLEAN, false, Importance.LOW,
            "Add headers __connect.errors.* naming the failure to dead-letter records.",
            ERRORS, 8, ConfigDef.Width.SHORT, "DLQ context headers");
  }

  /**
   * The base definitions plus those of each configured transform, predicate and converter,
   * under their prefixes. Plugins whose class cannot be loaded keep only the key naming the
   * class, whose validation then names the problem.
   */
  public static ConfigDef enrich(Plugins plugins, ConfigDef base, Map<String, String> props) {
    ConfigDef def = new ConfigDef(base);
    List<String> predicates = aliases(props.get(PREDICATES));
    for (String alias : aliases(props.get(TRANSFORMS))) {
      defineTransform(plugins, def, alias, predicates, props);
    }
    for (String alias : predicates) {
      String prefix = PREDICATES + "." + alias + ".";
      def.define(prefix + "type", Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
          Plugins.classValidator(Predicate.class), Importance.HIGH,
          "Class of predicate " + alias + ".", TRANSFORMS_GROUP, 20, ConfigDef.Width.LONG,
          "Predicate " + alias);
      Predicate<?> p = instance(plugins, prefix + "type", props, Predicate.class);
      if (p != null) {
        embed(def, prefix, p.config(), TRANSFORMS_GROUP);
        p.close();
      }
    }
    embedConverter(plugins, def, KEY_CONVERTER, props, Converter.class);
    embedConverter(plugins, def, VALUE_CONVERTER, props, Converter.class);
    embedConverter(plugins, def, HEADER_CONVERTER, props, HeaderConverter.class);
    return def;
  }

  private static void defineTransform(Plugins plugins, ConfigDef def, String alias,
      List<String> predicates, Map<String, String> props) {
    String prefix = TRANSFORMS + "." + alias + ".";
    def.define(prefix + "type", Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
        Plugins.classValidator(Transformation.class), Importance.HIGH,
        "Class of transform " + alias + ".", TRANSFORMS_GROUP, 10, ConfigDef.Width.LONG,
        "Transform " + alias);
    def.define(prefix + "predicate", Type.STRING, null, (name, value) -> {
      if (value != null && !predicates.contains(value.toString().trim())) {
        throw new ConfigException(name, value, "No predicate " + value + " is defined in "
            + PREDICATES);
      }
    }, Importance.MEDIUM,
        "Alias of the predicate that decides whether transform " + alias + " applies.",
        TRANSFORMS_GROUP, 11, ConfigDef.Width.MEDIUM, "Predicate of " + alias);
    def.define(prefix + "negate", Type.BOOLEAN, false, Importance.MEDIUM,
        "Apply transform " + alias + " when the predicate does not match.",
        TRANSFORMS_GROUP, 12, ConfigDef.Width.SHORT, "Negate " + alias);
    Transformation<?> t = instance(plugins, prefix + "type", props, Transformation.class);
    if (t != null) {
      embed(def, prefix, t.config(), TRANSFORMS_GROUP);
      t.close();
    }
  }

  /**
   * The converter's own keys under {@code key.}, so that a connector's converter settings are
   * checked at deploy time; {@code converter.type} is the runtime's to set.
   */
  private static void embedConverter(Plugins plugins, ConfigDef def, String key,
      Map<String, String> props, Class<?> type) {
    Object converter = instance(plugins, key, props, type);
    if (converter == null) {
      return;
    }
    ConfigDef own = converter instanceof HeaderConverter h ? h.config()
        : ((Converter) converter).config();
    ConfigDef settings = new ConfigDef(own);
    settings.configKeys().remove(ConverterConfig.TYPE_CONFIG);
    embed(def, key + ".", settings, COMMON);
    try {
      if (converter instanceof AutoCloseable c) {
        c.close();
      }
    } catch (Exception e) {
      // only its definitions were read
    }
  }

  /** The plugin the class key names, or null when none is named or it cannot be made. */
  private static <T> T instance(Plugins plugins, String classKey, Map<String, String> props,
      Class<T> type) {
    String className = props.get(classKey);
    if (className == null || className.isBlank()) {
      return null;
    }
    try {
      return plugins.newPlugin(classKey, className.trim(), type);
    } catch (RuntimeException e) {
      return null; // the class key's validator reports it
    }
  }

  /** The entries of {@code props} whose key starts with {@code prefix}, without it. */
  public static Map<String, String> withPrefix(Map<String, String> props, String prefix) {
    Map<String, String> out = new HashMap<>();
    props.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** The aliases of a list, each once, in order. */
  static List<String> aliases(String list) {
    Set<String> out = new LinkedHashSet<>();
    if (list == null) {
      return List.of();
    }
    for (String a : list.split(",")) {
      if (!a.isBlank()) {
        out.add(a.trim());
      }
    }
    return List.copyOf(out);
  }

  private static void embed(ConfigDef def, String prefix, ConfigDef own, String group) {
    for (ConfigDef.ConfigKey key : own.configKeys().values()) {
      if (def.configKeys().containsKey(prefix + key.name)) {
        continue;
      }
      def.define(new ConfigDef.ConfigKey(prefix + key.name, key.type, key.defaultValue,
          key.validator, key.importance, key.documentation, group, key.orderInGroup,
          key.width, key.displayName, key.dependents, key.recommender, key.internalConfig));
    }
  }

  private static ConfigDef.Validator aliasesValid() {
    return (name, value) -> {
      @SuppressWarnings("unchecked")
      List<String> list = (List<String>) value;
      if (list != null && new LinkedHashSet<>(list).size() != list.size()) {
        throw new ConfigException(name, value, "Duplicate alias");
      }
    };
  }
}
