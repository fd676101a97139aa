package io.millrace.streams.internals.runtime;

import io.millrace.streams.StreamsConfig;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Runs {@link InternalTopicManager} once per instance: the first thread to start does it, the
 * others wait for the result (or the same failure).
 *
 * <p>Thread-safe: the first thread to call {@link #ensure} does the work, the others wait for its
 * result.
 */
public final class TopicSetup {
  private final InternalTopologyBuilder topology;
  private final StreamsConfig config;
  private final String clientId;
  private Map<String, Integer> partitions;
  private RuntimeException failure;

  public TopicSetup(InternalTopologyBuilder topology, StreamsConfig config, String clientId) {
    this.topology = topology;
    this.config = config;
    this.clientId = clientId;
  }

  synchronized Map<String, Integer> ensure() {
    if (partitions != null) {
      return partitions;
    }
    if (failure != null) {
      throw failure;
    }
    try (Admin admin = Admin.create(config.adminConfigs(clientId + "-admin"))) {
      partitions = new InternalTopicManager(admin, topology, config).setup();
      return partitions;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }
}
