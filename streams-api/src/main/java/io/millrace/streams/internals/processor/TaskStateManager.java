package io.millrace.streams.internals.processor;

import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.internals.state.CacheBudget;
import io.millrace.streams.internals.state.Flushable;
import io.millrace.streams.internals.state.InternalStoreContext;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateRestoreCallback;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StoreBuilder;
import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state stores of one task: opens them (wiping a persistent store that has no checkpoint,
 * since its contents cannot be trusted), routes their changelog writes, replays changelog
 * records into them while restoring, flushes them on commit and writes the checkpoint.
 *
 * <p>Threading: the task's thread only.
 */
public final class TaskStateManager implements InternalStoreContext {
  private static final Logger log = LoggerFactory.getLogger(TaskStateManager.class);

  private final TaskId taskId;
  private final String applicationId;
  private final File taskDir;
  private final Map<String, Object> configs;
  private final CacheBudget cacheBudget;
  private RecordCollector collector;
  private final boolean checkpointing;
  private final CheckpointFile checkpointFile;
  private final LinkedHashMap<String, Registered> stores = new LinkedHashMap<>();
  private final Map<TopicPartition, Long> restoredOffsets = new HashMap<>();
  private Map<TopicPartition, Long> checkpointed = Map.of();
  private LongSupplier recordTimestamp = () -> 0L;
  private String opening;

  private record Registered(StateStore store, StateRestoreCallback callback, TopicPartition changelog) {}

  /**
   * @param checkpointing false in the test driver: no checkpoint file, no wiping
   */
  public TaskStateManager(
      TaskId taskId,
      String applicationId,
      File taskDir,
      Map<String, Object> configs,
      CacheBudget cacheBudget,
      RecordCollector collector,
      boolean checkpointing) {
    this.taskId = taskId;
    this.applicationId = applicationId;
    this.taskDir = taskDir;
    this.configs = configs;
    this.cacheBudget = cacheBudget;
    this.collector = collector;
    this.checkpointing = checkpointing;
    this.checkpointFile = new CheckpointFile(new File(taskDir, ".checkpoint"));
  }

  /** Switches output to another collector (a standby becoming active). */
  void useCollector(RecordCollector newCollector) {
    this.collector = newCollector;
  }

  /** True once the stores are open. */
  boolean storesOpen() {
    return !stores.isEmpty();
  }

  void setRecordTimestamp(LongSupplier supplier) {
    this.recordTimestamp = supplier;
  }

  /**
   * Opens the task's stores. A persistent, logged store with no checkpoint entry is deleted
   * first and restored from its changelog in full.
   */
  public void openStores(Map<String, StoreBuilder<?>> builders, Map<String, StateStore> built) {
    if (checkpointing) {
      // At least once: stores may be ahead of their checkpoint after a crash, never behind,
      // and replaying the changelog tail over them converges to the changelog's state.
      checkpointed = checkpointFile.read();
    }
    for (Map.Entry<String, StateStore> e : built.entrySet()) {
      String name = e.getKey();
      StateStore store = e.getValue();
      StoreBuilder<?> builder = builders.get(name);
      TopicPartition changelog =
          builder.loggingEnabled() ? new TopicPartition(changelogTopic(name), taskId.partition()) : null;
      if (checkpointing && store.persistent() && changelog != null && !checkpointed.containsKey(changelog)) {
        File dir = new File(taskDir, name);
        if (dir.exists()) {
          log.info("Task {}: store {} has no checkpoint; wiping {} to restore it from {}",
              taskId, name, dir, changelog);
          StateDirectories.deleteRecursively(dir);
        }
      }
      opening = name;
      store.init(this, store);
      if (!stores.containsKey(name)) {
        throw new StreamsException("Store " + name + " did not register itself in init()");
      }
      stores.put(name, new Registered(store, stores.get(name).callback(), changelog));
      opening = null;
    }
  }

  @Override
  public void register(StateStore store, StateRestoreCallback callback) {
    String name = store.name();
    if (stores.containsKey(name) && stores.get(name).callback() != null) {
      throw new StreamsException("Store " + name + " registered twice in task " + taskId);
    }
    if (opening != null && !opening.equals(name)) {
      throw new StreamsException(
          "Store " + opening + " registered itself under another name, " + name);
    }
    stores.put(name, new Registered(store, callback, null));
  }

  public StateStore store(String name) {
    Registered r = stores.get(name);
    return r == null ? null : r.store();
  }

  public Map<String, StateStore> stores() {
    Map<String, StateStore> m = new LinkedHashMap<>();
    stores.forEach((k, v) -> m.put(k, v.store()));
    return Collections.unmodifiableMap(m);
  }

  /** Changelog partitions of this task's logged stores. */
  public List<TopicPartition> changelogPartitions() {
    List<TopicPartition> tps = new ArrayList<>();
    stores.values().forEach(r -> {
      if (r.changelog() != null) {
        tps.add(r.changelog());
      }
    });
    return tps;
  }

  /** Where restoring a changelog partition starts: the checkpoint, or -1 for the beginning. */
  public long restoreStartOffset(TopicPartition changelog) {
    Long restored = restoredOffsets.get(changelog);
    if (restored != null) {
      return restored;
    }
    return checkpointed.getOrDefault(changelog, -1L);
  }

  /** Replays changelog records into the store that owns the partition. */
  public void restore(TopicPartition changelog, List<ConsumerRecord<byte[], byte[]>> records) {
    if (records.isEmpty()) {
      return;
    }
    for (Registered r : stores.values()) {
      if (changelog.equals(r.changelog())) {
        r.callback().restoreBatch(records);
        restoredOffsets.put(changelog, records.get(records.size() - 1).offset() + 1);
        return;
      }
    }
    throw new StreamsException("Task " + taskId + " has no store for changelog " + changelog);
  }

  /**
   * Forgets how far the stores of these changelogs were restored, here and in the checkpoint
   * file: their local state does not match the changelog (it lies beyond its end or before its
   * start). Reopened, those stores are wiped and restored from the beginning; the task's other
   * stores keep their checkpoints.
   */
  public void invalidateCheckpoints(Collection<TopicPartition> changelogs) {
    restoredOffsets.keySet().removeAll(changelogs);
    Map<TopicPartition, Long> kept = new HashMap<>(checkpointed);
    kept.keySet().removeAll(changelogs);
    checkpointed = kept;
    if (checkpointing) {
      Map<TopicPartition, Long> onDisk = checkpointFile.read();
      if (onDisk.keySet().removeAll(changelogs)) {
        checkpointFile.write(onDisk);
      }
    }
  }

  /** Records that a changelog partition has been read up to {@code offset} (exclusive). */
  public void markRestored(TopicPartition changelog, long offset) {
    restoredOffsets.merge(changelog, offset, Math::max);
  }

  /** Flushes every store's record cache, in declaration (upstream-first) order. */
  void flushCaches() {
    for (Registered r : stores.values()) {
      if (r.store() instanceof Flushable f) {
        f.flushCache();
      }
    }
  }

  /** Makes every store durable locally. */
  public void flushStores() {
    for (Registered r : stores.values()) {
      r.store().flush();
    }
  }

  /** Writes the checkpoint: for each changelog, the offset after the last record the stores hold. */
  public void checkpoint() {
    if (!checkpointing) {
      return;
    }
    Map<TopicPartition, Long> written = collector.changelogOffsets();
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (Registered r : stores.values()) {
      if (r.changelog() == null || !r.store().persistent()) {
        continue;
      }
      long offset = Math.max(
          written.getOrDefault(r.changelog(), -1L),
          Math.max(restoredOffsets.getOrDefault(r.changelog(), -1L),
              checkpointed.getOrDefault(r.changelog(), -1L)));
      if (offset >= 0) {
        offsets.put(r.changelog(), offset);
      }
    }
    checkpointFile.write(offsets);
  }

  /** Closes the stores; a clean close writes a final checkpoint first. */
  public void close(boolean clean) {
    RuntimeException first = null;
    if (clean) {
      try {
        flushCaches();
        collector.flush();
        flushStores();
        checkpoint();
      } catch (RuntimeException e) {
        first = e;
      }
    }
    for (Registered r : stores.values()) {
      try {
        r.store().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
        log.warn("Task {}: error closing store {}", taskId, r.store().name(), e);
      }
    }
    stores.clear();
    if (first != null) {
      throw first;
    }
  }

  // ---- InternalStoreContext ----

  @Override
  public TaskId taskId() {
    return taskId;
  }

  @Override
  public String applicationId() {
    return applicationId;
  }

  @Override
  public File stateDir() {
    return taskDir;
  }

  @Override
  public Map<String, Object> appConfigs() {
    return configs;
  }

  @Override
  public void logChange(String storeName, Bytes key, byte[] value, long timestamp) {
    Registered r = stores.get(storeName);
    TopicPartition tp = r == null || r.changelog() == null
        ? new TopicPartition(changelogTopic(storeName), taskId.partition())
        : r.changelog();
    collector.sendChangelog(tp, key.get(), value, timestamp);
  }

  @Override
  public long recordTimestamp() {
    return recordTimestamp.getAsLong();
  }

  @Override
  public CacheBudget cacheBudget() {
    return cacheBudget;
  }
}
