package io.millrace.connect.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (tests never sleep to synchronise). */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      try {
        Thread.sleep(50); // polling interval of the wait, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    AssertionError e = new AssertionError("timed out after " + timeout + " waiting for " + what);
    if (last != null) {
      e.initCause(last);
    }
    throw e;
  }

  public static <T> T value(Duration timeout, String what, Supplier<T> supplier) {
    Object[] holder = new Object[1];
    until(timeout, what, () -> (holder[0] = supplier.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) holder[0];
    return t;
  }
}
