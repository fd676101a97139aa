package io.millrace.streams.kstream;

/**
 * A key of a windowed aggregation: the grouping key and its window.
 *
 * <p>Immutable; thread-safe.
 *
 * @param key the grouping key
 * @param window the window
 */
public record Windowed<K>(K key, Window window) {

  @Override
  public String toString() {
    return "[" + key + "@" + window.start() + "/" + window.end() + "]";
  }
}
