package io.millrace.connect.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * Finds connectors, converters, transforms and predicates by class name or alias.
 *
 * <p>Built-in plugins are known by name; any other class implementing Kafka Connect's public
 * API ({@code org.apache.kafka.connect.*}) on the class path is found by its fully qualified
 * name. As in Kafka Connect, a connector's alias is its simple class name, with or without the
 * {@code Connector} suffix. Thread-safe: immutable.
 */
public final class Plugins {
  /** The kinds of plugin, as {@code GET /connector-plugins?connectorsOnly=false} names them. */
  public enum Kind {
    SOURCE, SINK, CONVERTER, HEADER_CONVERTER, TRANSFORMATION, PREDICATE;

    public String restName() {
      return name().toLowerCase();
    }
  }

  /** One plugin: its class, kind and version. */
  public record Plugin(String className, Kind kind, String version) {}

  private static final List<String> BUILT_IN =
      List.of(
          "io.millrace.connect.file.FileStreamSourceConnector",
          "io.millrace.connect.file.FileStreamSinkConnector",
          "io.millrace.connect.jdbc.JdbcSourceConnector",
          "io.millrace.connect.jdbc.JdbcSinkConnector",
          "io.millrace.connect.http.HttpSourceConnector",
          "io.millrace.connect.http.HttpSinkConnector",
          "io.millrace.connect.cdc.PostgresCdcSourceConnector",
          "org.apache.kafka.connect.json.JsonConverter",
          "org.apache.kafka.connect.storage.StringConverter",
          "io.millrace.connect.converters.ByteArrayConverter",
          "org.apache.kafka.connect.storage.SimpleHeaderConverter",
          "org.apache.kafka.connect.transforms.InsertField$Key",
          "org.apache.kafka.connect.transforms.InsertField$Value",
          "org.apache.kafka.connect.transforms.ReplaceField$Key",
          "org.apache.kafka.connect.transforms.ReplaceField$Value",
          "org.apache.kafka.connect.transforms.ExtractField$Key",
          "org.apache.kafka.connect.transforms.ExtractField$Value",
          "org.apache.kafka.connect.transforms.ValueToKey",
          "org.apache.kafka.connect.transforms.HoistField$Key",
          "org.apache.kafka.connect.transforms.HoistField$Value",
          "org.apache.kafka.connect.transforms.MaskField$Value",
          "org.apache.kafka.connect.transforms.Cast$Value",
          "org.apache.kafka.connect.transforms.Flatten$Value",
          "org.apache.kafka.connect.transforms.TimestampConverter$Value",
          "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value",
          "org.apache.kafka.connect.transforms.InsertHeader",
          "org.apache.kafka.connect.transforms.DropHeaders",
          "org.apache.kafka.connect.transforms.HeaderFrom$Value",
          "org.apache.kafka.connect.transforms.Filter",
          "org.apache.kafka.connect.transforms.RegexRouter",
          "org.apache.kafka.connect.transforms.TimestampRouter",
          "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
          "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
          "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone");

  private final Map<String, Plugin> byClass = new LinkedHashMap<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();

  public Plugins() {
    for (String name : BUILT_IN) {
      Class<?> cls = load(name);
      Plugin plugin = new Plugin(name, kindOf(cls), versionOf(cls));
      byClass.put(name, plugin);
      if (plugin.kind() == Kind.SOURCE || plugin.kind() == Kind.SINK) {
        String simple = cls.getSimpleName();
        aliases.put(simple, name);
        if (simple.endsWith("Connector")) {
          aliases.put(simple.substring(0, simple.length() - "Connector".length()), name);
        }
      }
    }
  }

  /** Every built-in plugin of the given kinds, in a stable order. */
  public List<Plugin> list(List<Kind> kinds) {
    List<Plugin> out = new ArrayList<>();
    for (Plugin p : byClass.values()) {
      if (kinds.contains(p.kind())) {
        out.add(p);
      }
    }
    return out;
  }

  /** The class name an alias or class name stands for. */
  public String resolve(String nameOrAlias) {
    return aliases.getOrDefault(nameOrAlias, nameOrAlias);
  }

  /** Kafka Connect class names whose classes live in its runtime jar, which we replace. */
  private static final Map<String, String> REPLACED = Map.of(
      "org.apache.kafka.connect.converters.ByteArrayConverter",
      "io.millrace.connect.converters.ByteArrayConverter",
      "org.apache.kafka.connect.file.FileStreamSourceConnector",
      "io.millrace.connect.file.FileStreamSourceConnector",
      "org.apache.kafka.connect.file.FileStreamSinkConnector",
      "io.millrace.connect.file.FileStreamSinkConnector");

  /** A new connector instance; a {@link ConfigException} naming the key if there is none. */
  public Connector newConnector(String nameOrAlias) {
    String resolved = resolve(nameOrAlias);
    Class<?> cls = loadPlugin(ConnectorConfig.CONNECTOR_CLASS,
        REPLACED.getOrDefault(resolved, resolved));
    if (!Connector.class.isAssignableFrom(cls)) {
      throw new ConfigException(ConnectorConfig.CONNECTOR_CLASS, nameOrAlias,
          "Class " + cls.getName() + " is not a source or sink connector");
    }
    return (Connector) instantiate(cls);
  }

  public <T> T newPlugin(String key, String className, Class<T> type) {
    if (className == null || className.isBlank()) {
      throw new ConfigException(key, className, "Missing class name");
    }
    Class<?> cls = loadPlugin(key, REPLACED.getOrDefault(className.trim(), className.trim()));
    if (!type.isAssignableFrom(cls)) {
      throw new ConfigException(key, className,
          "Class " + cls.getName() + " is not a " + type.getSimpleName());
    }
    return type.cast(instantiate(cls));
  }

  /**
   * A validator for keys naming a plugin class of {@code type} (Kafka Connect's names of the
   * classes we replace included); null passes.
   */
  public static org.apache.kafka.common.config.ConfigDef.Validator classValidator(Class<?> type) {
    return (name, value) -> {
      if (value == null) {
        return;
      }
      String cls = value.toString().trim();
      Class<?> c = loadPlugin(name, REPLACED.getOrDefault(cls, cls));
      if (!type.isAssignableFrom(c)) {
        throw new ConfigException(name, value, "Class " + cls + " is not a "
            + type.getSimpleName());
      }
    };
  }

  public static boolean isSink(Connector connector) {
    return connector instanceof SinkConnector;
  }

  private static Class<?> loadPlugin(String key, String className) {
    try {
      return Class.forName(className, true, Plugins.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(key, className, "Class " + className + " could not be found");
    }
  }

  private static Object instantiate(Class<?> cls) {
    try {
      return cls.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException("Could not instantiate " + cls.getName() + ": " + e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, Plugins.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("built-in plugin missing from the class path: " + name, e);
    }
  }

  private static Kind kindOf(Class<?> cls) {
    if (SourceConnector.class.isAssignableFrom(cls)) {
      return Kind.SOURCE;
    } else if (SinkConnector.class.isAssignableFrom(cls)) {
      return Kind.SINK;
    } else if (Converter.class.isAssignableFrom(cls)) {
      return Kind.CONVERTER;
    } else if (HeaderConverter.class.isAssignableFrom(cls)) {
      return Kind.HEADER_CONVERTER;
    } else if (Transformation.class.isAssignableFrom(cls)) {
      return Kind.TRANSFORMATION;
    } else if (Predicate.class.isAssignableFrom(cls)) {
      return Kind.PREDICATE;
    }
    throw new IllegalStateException("not a plugin: " + cls.getName());
  }

  private static String versionOf(Class<?> cls) {
    try {
      if (instantiate(cls) instanceof org.apache.kafka.connect.components.ConnectPlugin p) {
        return p.version();
      }
    } catch (RuntimeException e) {
      // a plugin that cannot say its version still runs
    }
    return "unknown";
  }
}
