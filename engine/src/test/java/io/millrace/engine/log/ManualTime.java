package io.millrace.engine.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A clock the test moves by hand. {@link #sleep} advances it instead of waiting. */
final class ManualTime implements Time {
    private final AtomicLong nowMs;

    ManualTime(long startMs) {
        this.nowMs = new AtomicLong(startMs);
    }

    ManualTime() {
        this(1_700_000_000_000L);
    }

    void advance(long ms) {
        nowMs.addAndGet(ms);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return TimeUnit.MILLISECONDS.toNanos(nowMs.get());
    }

    @Override
    public void sleep(long ms) {
        advance(ms);
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        if (!condition.get()) {
            throw new IllegalStateException("ManualTime cannot wait for a condition");
        }
    }
}
