package io.millrace.connect.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys integration tests start workers with: REST on a free loopback port, and short
 * intervals so that tests wait little. Each returns a new mutable map to add keys to.
 */
public final class WorkerProps {
  private WorkerProps() {}

  /** A standalone worker keeping its state under {@code stateDir}; offsets flushed often. */
  public static Map<String, String> standalone(String bootstrap, Path stateDir) {
    Map<String, String> p = loopback(bootstrap);
    p.put("mode", "standalone");
    p.put("standalone.storage.dir", stateDir.toString());
    p.put("offset.flush.interval.ms", "300");
    return p;
  }

  /**
   * A worker of the group {@code workers-ID} whose config, offset and status topics are
   * named by {@code id} too; a worker that dies is noticed within seconds.
   */
  public static Map<String, String> distributed(String bootstrap, String id) {
    Map<String, String> p = loopback(bootstrap);
    p.put("group.id", "workers-" + id);
    p.put("config.storage.topic", "cfg-" + id);
    p.put("offset.storage.topic", "off-" + id);
    p.put("status.storage.topic", "st-" + id);
    p.put("offset.storage.partitions", "1");
    p.put("status.storage.partitions", "1");
    p.put("session.timeout.ms", "6000");
    p.put("heartbeat.interval.ms", "1000");
    return p;
  }

  private static Map<String, String> loopback(String bootstrap) {
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("rest.host.name", "127.0.0.1");
    p.put("rest.port", "0");
    return p;
  }
}
