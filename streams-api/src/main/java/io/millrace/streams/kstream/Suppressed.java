package io.millrace.streams.kstream;

/**
 * Holds back the updates of a windowed table: {@link #untilWindowCloses} emits each window's
 * final result once, when stream time passes the window's end plus its grace period.
 *
 * <pre>{@code
 * .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(10)))
 * .count()
 * .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
 * }</pre>
 *
 * <p>The buffer of held-back windows is a state store with a changelog, so a moved task emits
 * every final result exactly once more at most (at least once).
 *
 * <p>Immutable: each {@code with...} returns a new instance; thread-safe.
 */
public final class Suppressed<K> {
  final BufferConfig buffer;
  final String name;

  private Suppressed(BufferConfig buffer, String name) {
    this.buffer = buffer;
    this.name = name;
  }

  public static <K> Suppressed<Windowed<K>> untilWindowCloses(BufferConfig buffer) {
    return new Suppressed<>(buffer, null);
  }

  public Suppressed<K> withName(String n) {
    Named.validate(n);
    return new Suppressed<>(buffer, n);
  }

  public BufferConfig buffer() {
    return buffer;
  }

  public String name() {
    return name;
  }

  /** How many windows the buffer may hold; full means the task fails (the results stay final). */
  public static final class BufferConfig {
    final long maxRecords;

    private BufferConfig(long maxRecords) {
      this.maxRecords = maxRecords;
    }

    /** No limit but memory. */
    public static BufferConfig unbounded() {
      return new BufferConfig(Long.MAX_VALUE);
    }

    /** At most {@code n} windows waiting; one more fails the task with a clear error. */
    public static BufferConfig maxRecords(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxRecords must be at least 1, got " + n);
      }
      return new BufferConfig(n);
    }

    /** Kafka's spelling: full fails the task (the only policy that keeps results final). */
    public BufferConfig shutDownWhenFull() {
      return this;
    }

    public long maxRecords() {
      return maxRecords;
    }
  }
}
