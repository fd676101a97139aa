package io.millrace.connect.runtime;

/** Where in a record's journey an error happened; named in logs and dead-letter headers. */
public enum Stage {
  TASK_POLL, TASK_PUT, KEY_CONVERTER, VALUE_CONVERTER, HEADER_CONVERTER, TRANSFORMATION,
  KAFKA_PRODUCE, KAFKA_CONSUME
}
