package io.millrace.engine.group.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.assertj.core.api.Assertions;

/** Waits for a condition with a deadline, polling often; never a fixed sleep. */
final class Await {

    private Await() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("timed out after " + timeout + " waiting for " + what + "; state: " + state.get());
            }
            try {
                Thread.onSpinWait();
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            } catch (RuntimeException e) {
                throw e;
            }
        }
    }
}
