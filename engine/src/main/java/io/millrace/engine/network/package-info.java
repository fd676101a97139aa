/**
 * The broker's network edge: a Vert.x {@code NetServer} per listener
 * ({@link io.millrace.engine.network.KafkaListener}), Kafka's size-prefixed framing
 * ({@link io.millrace.engine.network.FrameDecoder}), one
 * {@link io.millrace.engine.network.KafkaConnection} per client that keeps responses in request
 * order while requests run concurrently, and the encoder that writes response bytes from the heap
 * and record bytes as zero-copy file regions ({@link io.millrace.engine.network.ResponseEncoder}).
 *
 * <p>Limits: frame size ({@code socket.request.max.bytes}), connections ({@code max.connections}),
 * requests in flight per connection ({@code queued.max.requests}), idle time
 * ({@code connections.max.idle.ms}). See {@link io.millrace.engine.network.NetworkLimits}.
 */
package io.millrace.engine.network;
