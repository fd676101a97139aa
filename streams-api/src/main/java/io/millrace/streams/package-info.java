/**
 * The Millrace Streams API: a fluent DSL (streams, tables, windows, joins) compiled into a
 * topology of sub-topologies, run as consumer-group tasks with state stores backed by compacted
 * changelog topics, plus a test driver. It talks to the broker only through kafka-clients.
 * Arrives with the Streams API issue.
 */
package io.millrace.streams;
