package io.millrace.streams.internals.topology;

/**
 * A repartition topic the runtime creates: {@code <application.id>-<name>}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param name the short name, e.g. {@code counts-repartition}
 * @param partitions the count asked for, or -1 to take it from the writing sub-topology's inputs
 */
public record InternalTopicDef(String name, int partitions) {}
