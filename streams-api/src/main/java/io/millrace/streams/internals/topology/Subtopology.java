package io.millrace.streams.internals.topology;

import java.util.List;
import java.util.Set;

/**
 * One connected part of a topology: its nodes in declaration order, the topics its sources read
 * (internal topics by their short name), the topics its sinks write, and its stores. A task
 * runs one sub-topology on one partition of all its source topics.
 *
 * <p>Immutable; thread-safe.
 */
public record Subtopology(
    int id, List<String> nodes, Set<String> sourceTopics, Set<String> sinkTopics, Set<String> stores) {}
