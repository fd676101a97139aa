package io.millrace.connect.herder;

import io.millrace.connect.storage.TargetState;
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
      TargetState target, Callbacks callbacks, OffsetStorageReader offsets) {
    this.name = name;
    this.props = props;
    this.connector = connector;
    this.sink = sink;
    this.target = target;
    PluginMetrics pm = new PluginMetricsImpl(metrics, Map.of("connector", name));
    connector.initialize(new Context(callbacks, offsets, pm));
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
