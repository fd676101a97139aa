/**
 * Cluster metadata: the immutable {@link io.millrace.engine.metadata.MetadataImage} (brokers,
 * topics with their ids, partitions with leader, epochs, replicas and ISR, topic configs, the
 * next producer id), the {@link io.millrace.engine.metadata.Controller} that is the only writer
 * of images, and the {@link io.millrace.engine.metadata.MetadataListener}s that apply them.
 *
 * <p>On one node the {@link io.millrace.engine.metadata.LocalController} computes each new image,
 * writes it to disk ({@link io.millrace.engine.metadata.MetadataStore}, atomic write-then-rename)
 * and publishes it; the cluster controller (issue 5) takes its place behind the same interface.
 */
package io.millrace.engine.metadata;
