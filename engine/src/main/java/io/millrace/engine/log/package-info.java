/**
 * The partition log: Kafka-compatible segments ({@code .log}, {@code .index}, {@code .timeindex}),
 * appends with validation, zero-copy reads, recovery, retention, compaction, idempotent-producer
 * state and leader epochs. Entry points: {@link io.millrace.engine.log.LogManager} (every log of a
 * broker) and {@link io.millrace.engine.log.PartitionLog} (one partition). Plain Java, not tied to
 * Vert.x: blocking work runs on the log manager's own threads.
 */
package io.millrace.engine.log;
