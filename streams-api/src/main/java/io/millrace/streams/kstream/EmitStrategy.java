package io.millrace.streams.kstream;

/**
 * When a windowed aggregation emits: on every update (the default, deduplicated by the record
 * cache), or once per window when it closes.
 *
 * <p>Immutable; thread-safe.
 */
public enum EmitStrategy {
  ON_WINDOW_UPDATE,
  ON_WINDOW_CLOSE;

  public static EmitStrategy onWindowUpdate() {
    return ON_WINDOW_UPDATE;
  }

  public static EmitStrategy onWindowClose() {
    return ON_WINDOW_CLOSE;
  }
}
