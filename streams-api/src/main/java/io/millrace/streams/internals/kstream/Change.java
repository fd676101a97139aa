package io.millrace.streams.internals.kstream;

/**
 * A table update as it flows between table operators: the new value and the value before
 * (either may be null: an insert has no old value, a delete no new one).
 *
 * <p>Immutable; thread-safe.
 */
public record Change<V>(V newValue, V oldValue) {}
