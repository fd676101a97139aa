package io.millrace.connect.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * The configured single-message transforms of a connector, each with its optional predicate,
 * applied in order. A transform that returns null drops the record. Not thread-safe: one per
 * task.
 */
public final class TransformChain<R extends ConnectRecord<R>> implements AutoCloseable {
  private record Stage<R extends ConnectRecord<R>>(String alias, Transformation<R> transform,
      Predicate<R> predicate, boolean negate) {}

  private final List<Stage<R>> stages;
  private final List<Predicate<R>> predicates;

  private TransformChain(List<Stage<R>> stages, List<Predicate<R>> predicates) {
    this.stages = stages;
    this.predicates = predicates;
  }

  /** Builds the chain a connector config describes; throws ConfigException on a bad one. */
  @SuppressWarnings("unchecked")
  public static <R extends ConnectRecord<R>> TransformChain<R> of(Plugins plugins,
      Map<String, String> props) {
    Map<String, Predicate<R>> predicates = new HashMap<>();
    for (String alias : ConnectorConfig.aliases(props.get(ConnectorConfig.PREDICATES))) {
      String prefix = ConnectorConfig.PREDICATES + "." + alias + ".";
      Predicate<R> p = plugins.newPlugin(prefix + "type", props.get(prefix + "type"),
          Predicate.class);
      p.configure(ConnectorConfig.withPrefix(props, prefix));
      predicates.put(alias, p);
    }
    List<Stage<R>> stages = new ArrayList<>();
    for (String alias : ConnectorConfig.aliases(props.get(ConnectorConfig.TRANSFORMS))) {
      String prefix = ConnectorConfig.TRANSFORMS + "." + alias + ".";
      Transformation<R> t = plugins.newPlugin(prefix + "type", props.get(prefix + "type"),
          Transformation.class);
      t.configure(ConnectorConfig.withPrefix(props, prefix));
      String predicateAlias = props.get(prefix + "predicate");
      Predicate<R> predicate = null;
      if (predicateAlias != null && !predicateAlias.isBlank()) {
        predicate = predicates.get(predicateAlias.trim());
        if (predicate == null) {
          throw new org.apache.kafka.common.config.ConfigException(prefix + "predicate",
              predicateAlias, "No predicate " + predicateAlias + " in " + ConnectorConfig.PREDICATES);
        }
      }
      stages.add(new Stage<>(alias, t, predicate,
          Boolean.parseBoolean(props.getOrDefault(prefix + "negate", "false"))));
    }
    return new TransformChain<>(stages, new ArrayList<>(predicates.values()));
  }

  /** Applies every transform in turn; null if one of them drops the record. */
  public R apply(R record) {
    R current = record;
    for (Stage<R> s : stages) {
      if (s.predicate() != null && s.predicate().test(current) == s.negate()) {
        continue;
      }
      current = s.transform().apply(current);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  public boolean isEmpty() {
    return stages.isEmpty();
  }

  @Override
  public void close() {
    stages.forEach(s -> s.transform().close());
    for (Predicate<R> p : predicates) {
      p.close();
    }
  }
}
