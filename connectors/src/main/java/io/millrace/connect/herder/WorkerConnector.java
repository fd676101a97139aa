package io.millrace.connect.herder;

import io.millrace.connect.storage.OffsetStore;
import io.millrace.connect.storage.TargetState;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnectorContext;
import org.apache.kafka.connect.source.SourceConnectorContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * A connector instance this worker runs, with the config and target state it runs with. Its
 * life cycle runs on the herder thread; the context's callbacks may come from any thread and
 * are handed to the herder.
 */
final class WorkerConnector {
  interface Callbacks {
    void requestTaskReconfiguration(String connector);

    void raiseError(String connector, Exception e);
  }

  final String name;
  final Map<String, String> props;
  final Connector connector;
  final boolean sink;
  TargetState target;
  boolean started;
  boolean failed;
  private final Metrics metrics = new Metrics();

  WorkerConnector(String name, Map<String, String> props, Connector connector, boolean sink,
      TargetState target, Callbacks callbacks, OffsetStore offsets) {
    this.name = name;
    this.props = props;
    this.connector = connector;
    this.sink = sink;
    this.target = target;
    PluginMetrics pm = new PluginMetricsImpl(metrics, Map.of("connector", name));
    connector.initialize(new Context(callbacks, new OffsetReader(offsets), pm));
  }

  void start() {
    connector.start(props);
    started = true;
  }

  void stop() {
    if (started) {
      started = false;
      connector.stop();
    }
  }

  void close() {
    metrics.close();
  }

  /** The connector's own source offsets, as its tasks last committed them. */
  private final class OffsetReader implements OffsetStorageReader {
    private final OffsetStore offsets;

    OffsetReader(OffsetStore offsets) {
      this.offsets = offsets;
    }

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      return offsets.offset(name, partition);
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(
        Collection<Map<String, T>> partitions) {
      Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
      partitions.forEach(p -> out.put(p, offsets.offset(name, p)));
      return out;
    }
  }

  private final class Context implements SourceConnectorContext, SinkConnectorContext {
    private final Callbacks callbacks;
    private final OffsetStorageReader offsets;
    private final PluginMetrics metrics;

    Context(Callbacks callbacks, OffsetStorageReader offsets, PluginMetrics metrics) {
      this.callbacks = callbacks;
      this.offsets = offsets;
      this.metrics = metrics;
    }

    @Override
    public void requestTaskReconfiguration() {
      callbacks.requestTaskReconfiguration(name);
    }

    @Override
    public void raiseError(Exception e) {
      callbacks.raiseError(name, e);
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return metrics;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
      return offsets;
    }
  }
}
