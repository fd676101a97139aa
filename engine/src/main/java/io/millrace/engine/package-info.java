/**
 * The Millrace engine: the partition log ({@code log}), the Kafka-protocol broker
 * ({@code protocol}, {@code broker}), cluster membership and the controller ({@code cluster},
 * {@code metadata}), leader/follower replication ({@code replication}) and the group
 * coordinator ({@code group}). See {@code engine/README.md} for the table of packages.
 */
package io.millrace.engine;
