package io.millrace.engine.log;

/**
 * Where a log sends its background work: flushes after a roll or under {@code flush.messages},
 * and file deletions after {@code file.delete.delay.ms}. The {@link LogManager} runs them on
 * its own named threads, so they never run on the caller's (possibly event-loop) thread.
 *
 * <p>Implementations are thread-safe: a log's writer and the background threads both schedule.
 */
interface LogScheduler {
    /** Runs {@code task} once, after {@code delayMs}, on a background thread. */
    void schedule(String name, Runnable task, long delayMs);
}
