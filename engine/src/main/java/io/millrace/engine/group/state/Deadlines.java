package io.millrace.engine.group.state;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The shard's timers as data: each key has at most one deadline (scheduling a key again
 * replaces it), and {@link #runExpired} runs the tasks whose deadline has passed, in deadline
 * order. Nothing here reads a clock; the IO layer arms one real timer for
 * {@link #nextDeadlineMs()}. Not thread-safe.
 */
final class Deadlines {

    enum Kind { SESSION, JOIN, SYNC, OFFSETS_EXPIRY }

    /** What a deadline is for: a member's session, a group's join or sync phase, or a shard-wide task. */
    record Key(Kind kind, String groupId, String memberId) {
        static Key session(String groupId, String memberId) {
            return new Key(Kind.SESSION, groupId, memberId);
        }

        static Key join(String groupId) {
            return new Key(Kind.JOIN, groupId, null);
        }

        static Key sync(String groupId) {
            return new Key(Kind.SYNC, groupId, null);
        }

        static final Key OFFSETS_EXPIRY = new Key(Kind.OFFSETS_EXPIRY, null, null);
    }

    @FunctionalInterface
    interface Task {
        void run(Effects effects, long nowMs);
    }

    private record Entry(long deadlineMs, long sequence, Key key, Task task) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadlineMs, o.deadlineMs);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final Map<Key, Entry> byKey = new HashMap<>();
    private final TreeSet<Entry> byTime = new TreeSet<>();
    private long nextSequence;

    void schedule(Key key, long deadlineMs, Task task) {
        cancel(key);
        Entry entry = new Entry(deadlineMs, nextSequence++, key, task);
        byKey.put(key, entry);
        byTime.add(entry);
    }

    void cancel(Key key) {
        Entry old = byKey.remove(key);
        if (old != null) {
            byTime.remove(old);
        }
    }

    boolean isScheduled(Key key) {
        return byKey.containsKey(key);
    }

    OptionalLong deadlineOf(Key key) {
        Entry e = byKey.get(key);
        return e == null ? OptionalLong.empty() : OptionalLong.of(e.deadlineMs);
    }

    OptionalLong nextDeadlineMs() {
        return byTime.isEmpty() ? OptionalLong.empty() : OptionalLong.of(byTime.first().deadlineMs);
    }

    int size() {
        return byKey.size();
    }

    /** Runs every task due at {@code nowMs}, including ones that due tasks schedule for now or earlier. */
    void runExpired(long nowMs, Effects effects) {
        while (!byTime.isEmpty() && byTime.first().deadlineMs <= nowMs) {
            Entry e = byTime.pollFirst();
            byKey.remove(e.key);
            e.task.run(effects, nowMs);
        }
    }

    void clear() {
        byKey.clear();
        byTime.clear();
    }
}
