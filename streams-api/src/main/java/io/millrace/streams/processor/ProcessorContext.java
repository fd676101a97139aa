package io.millrace.streams.processor;

import io.millrace.streams.state.StateStore;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;

/**
 * What a {@link Processor} sees of its task: forwarding, state stores, time and scheduling.
 *
 * <p>Threading: only valid on the task's stream thread, from {@code init}, {@code process} or a
 * punctuator.
 *
 * @param <KForward> key type of forwarded records
 * @param <VForward> value type of forwarded records
 */
public interface ProcessorContext<KForward, VForward> {

  /** Sends a record to every child of this processor; returns once they have processed it. */
  <K extends KForward, V extends VForward> void forward(Record<K, V> record);

  /**
   * Sends a record to one named child.
   *
   * @throws io.millrace.streams.errors.StreamsException if there is no child of that name
   */
  <K extends KForward, V extends VForward> void forward(Record<K, V> record, String childName);

  /**
   * The store of that name, which must have been connected to this processor.
   *
   * @throws io.millrace.streams.errors.StreamsException if it is unknown or not connected
   */
  <S extends StateStore> S getStateStore(String name);

  /**
   * Calls {@code punctuator} every {@code interval}, on stream time or wall-clock time.
   *
   * <p>Stream-time punctuation fires when the task's stream time (the largest record timestamp
   * it has processed) passes the next multiple; wall-clock punctuation when the system time does,
   * checked between records.
   *
   * @throws IllegalArgumentException if the interval is shorter than 1 ms
   */
  Cancellable schedule(Duration interval, PunctuationType type, Punctuator punctuator);

  /** The task this processor runs in. */
  TaskId taskId();

  /** The application's id. */
  String applicationId();

  /** Source topic, partition and offset of the record being processed; empty in punctuation. */
  Optional<RecordMetadata> recordMetadata();

  /** The task's stream time: the largest timestamp processed so far, or -1 before any. */
  long currentStreamTimeMs();

  /** Wall-clock time as the runtime (or test driver) sees it. */
  long currentSystemTimeMs();

  /** Asks for a commit as soon as possible (after the current record). */
  void commit();

  /** The default key serde of the configuration. */
  Serde<?> keySerde();

  /** The default value serde of the configuration. */
  Serde<?> valueSerde();

  /** The application's configuration, as given. */
  Map<String, Object> appConfigs();

  /** This task's directory under {@code state.dir}. */
  File stateDir();
}
