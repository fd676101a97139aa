package io.millrace.streams.errors;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What an error handler decides: fail the task, or resume (skip the record), optionally
 * sending records to a dead-letter topic first.
 *
 * <p>Immutable; thread-safe.
 *
 * @param resumed true to skip the record and go on, false to fail the task
 * @param deadLetterRecords records to produce before going on (may be empty)
 */
public record HandlerResponse(boolean resumed, List<ProducerRecord<byte[], byte[]>> deadLetterRecords) {

  public HandlerResponse {
    deadLetterRecords = List.copyOf(Objects.requireNonNull(deadLetterRecords));
  }

  public static HandlerResponse fail() {
    return new HandlerResponse(false, List.of());
  }

  public static HandlerResponse resume() {
    return new HandlerResponse(true, List.of());
  }

  public static HandlerResponse resumeWith(List<ProducerRecord<byte[], byte[]>> deadLetterRecords) {
    return new HandlerResponse(true, deadLetterRecords);
  }
}
