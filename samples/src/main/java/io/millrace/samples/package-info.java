/**
 * Sample topologies, each a {@link io.millrace.streams.StreamsApplication} that {@code
 * bin/millrace streams run <Name>} runs: {@link io.millrace.samples.WordCount} (the Kafka
 * walkthrough's), {@link io.millrace.samples.ClicksPerUserPerMinute} (a windowed count with late
 * events) and {@link io.millrace.samples.OrderEnrichment} (a stream-table join). Connector
 * configs live in {@code samples/connectors/}.
 */
package io.millrace.samples;
