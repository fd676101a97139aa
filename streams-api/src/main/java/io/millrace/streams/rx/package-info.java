/**
 * RxJava 3 at the edges of a topology: topics (a topology's output) as back-pressured {@code
 * Flowable}s, {@code Flowable}s published into topics (a topology's input), and a stream's
 * records handed to a subscriber in-process. See {@link io.millrace.streams.rx.RxStreams}.
 */
package io.millrace.streams.rx;
