package io.millrace.streams;

import java.util.Set;

/**
 * Where a key of a store lives: the instance running its task, those with standbys of it, and
 * the partition (Kafka's default partitioning of the serialized key).
 *
 * <p>Immutable; thread-safe.
 */
public record KeyQueryMetadata(HostInfo activeHost, Set<HostInfo> standbyHosts, int partition) {}
