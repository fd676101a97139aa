/**
 * The processor API: custom processors ({@link io.millrace.streams.processor.Processor}), their
 * context (forwarding, stores, punctuation), records, task ids, timestamp extractors and
 * partitioning hooks. The DSL in {@code io.millrace.streams.kstream} compiles into these.
 */
package io.millrace.streams.processor;
