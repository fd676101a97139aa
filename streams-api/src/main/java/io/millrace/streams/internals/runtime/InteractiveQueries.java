package io.millrace.streams.internals.runtime;

import io.millrace.streams.HostInfo;
import io.millrace.streams.KeyQueryMetadata;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsMetadata;
import io.millrace.streams.errors.InvalidStateStoreException;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.Subtopology;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.QueryableStoreType;
import io.millrace.streams.state.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Interactive queries of one instance: read-only views over the stores of its running tasks
 * (and standbys), and where the application's instances hold which tasks, from the last
 * assignment, to route a query for a key to the instance that has it.
 *
 * <p>Thread-safe: reads the stream threads' published snapshots.
 */
final class InteractiveQueries {
  private final InternalTopologyBuilder topology;
  private final String applicationId;
  private final TopicSetup topicSetup;
  private final List<StreamThread> threads;
  private final Supplier<MillraceStreams.State> state;

  InteractiveQueries(InternalTopologyBuilder topology, String applicationId, TopicSetup topicSetup,
      List<StreamThread> threads, Supplier<MillraceStreams.State> state) {
    this.topology = topology;
    this.applicationId = applicationId;
    this.topicSetup = topicSetup;
    this.threads = threads;
    this.state = state;
  }

  public <T> T store(String name, QueryableStoreType<T> type, boolean includeStandby) {
    MillraceStreams.State s = state.get();
    if (!s.isRunningOrRebalancing()) {
      throw new InvalidStateStoreException("Cannot query store " + name + ": the instance is " + s);
    }
    List<StateStore> found = localStores(name, type, includeStandby);
    if (found.isEmpty()) {
      throw new InvalidStateStoreException("No running task of this instance has a store named " + name
          + " of that kind (yet); retry once the instance is RUNNING");
    }
    return type.create(() -> localStores(name, type, includeStandby), name);
  }

  private List<StateStore> localStores(String name, QueryableStoreType<?> type, boolean includeStandby) {
    List<StateStore> found = new ArrayList<>();
    for (StreamThread t : threads) {
      for (Map<String, StateStore> stores : t.queryableStores(includeStandby).values()) {
        StateStore s = stores.get(name);
        if (s != null && type.accepts(s)) {
          found.add(s);
        }
      }
    }
    return found;
  }

  public Collection<StreamsMetadata> allMetadata() {
    List<StreamsMetadata> out = new ArrayList<>();
    for (var e : hosts().entrySet()) {
      out.add(new StreamsMetadata(HostInfo.parse(e.getKey()),
          AssignmentProtocol.ids(e.getValue().active()), AssignmentProtocol.ids(e.getValue().standby())));
    }
    return out;
  }

  private Map<String, AssignmentProtocol.HostTasks> hosts() {
    for (StreamThread t : threads) {
      Map<String, AssignmentProtocol.HostTasks> h = t.hosts();
      if (!h.isEmpty()) {
        return h;
      }
    }
    return Map.of();
  }

  public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
    Subtopology sub = null;
    for (Subtopology s : topology.subtopologies()) {
      if (s.stores().contains(storeName)) {
        sub = s;
      }
    }
    if (sub == null) {
      throw new IllegalArgumentException("The topology has no store named " + storeName);
    }
    Map<String, Integer> counts = topicSetup.ensure();
    int partitions = 0;
    String topic = null;
    for (String t : sub.sourceTopics()) {
      String full = topology.resolveTopic(applicationId, t);
      if (counts.getOrDefault(full, 0) > partitions) {
        partitions = counts.get(full);
        topic = full;
      }
    }
    byte[] bytes = keySerializer.serialize(topic, key);
    int partition = Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    TaskId task = new TaskId(sub.id(), partition);
    HostInfo active = null;
    Set<HostInfo> standbys = new HashSet<>();
    for (var e : hosts().entrySet()) {
      if (AssignmentProtocol.ids(e.getValue().active()).contains(task)) {
        active = HostInfo.parse(e.getKey());
      }
      if (AssignmentProtocol.ids(e.getValue().standby()).contains(task)) {
        standbys.add(HostInfo.parse(e.getKey()));
      }
    }
    return new KeyQueryMetadata(active, standbys, partition);
  }
}
