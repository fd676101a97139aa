/**
 * The Millrace Streams API: describe a topology with {@link io.millrace.streams.StreamsBuilder}
 * (or node by node on a {@link io.millrace.streams.Topology}), run it with {@link
 * io.millrace.streams.MillraceStreams}, configured by {@link io.millrace.streams.StreamsConfig}.
 * The DSL is in {@code io.millrace.streams.kstream}, the processor API in {@code
 * io.millrace.streams.processor}, stores in {@code io.millrace.streams.state}, RxJava edges in
 * {@code io.millrace.streams.rx}, the test driver in {@code io.millrace.streams.testing}. It
 * talks to the broker only through kafka-clients. Everything under {@code
 * io.millrace.streams.internals} is implementation, not API.
 */
package io.millrace.streams;
