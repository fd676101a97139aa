package io.millrace.engine.log;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogScheduler} that queues tasks until the test runs them, so background work happens
 * at points the test chooses, on the test's thread.
 */
final class QueuedScheduler implements LogScheduler {
    record Task(String name, Runnable task, long delayMs) {}

    private final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized void schedule(String name, Runnable task, long delayMs) {
        tasks.add(new Task(name, task, delayMs));
    }

    /** Runs every queued task (and those they queue), regardless of delay. */
    void runAll() {
        while (true) {
            List<Task> now;
            synchronized (this) {
                if (tasks.isEmpty()) {
                    return;
                }
                now = new ArrayList<>(tasks);
                tasks.clear();
            }
            now.forEach(t -> t.task().run());
        }
    }

    synchronized List<String> names() {
        return tasks.stream().map(Task::name).toList();
    }
}
