package io.millrace.streams.internals.processor;

import io.millrace.streams.processor.Cancellable;
import io.millrace.streams.processor.Punctuator;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Scheduled punctuations of one clock (stream or wall-clock time), in order of next firing.
 * A punctuation that fell behind fires once and then keeps its grid ({@code start + n *
 * interval}), as Kafka Streams does.
 */
final class PunctuationQueue {

  static final class Schedule implements Cancellable {
    final ProcessorNode node;
    final long intervalMs;
    final Punctuator punctuator;
    long nextMs;
    boolean cancelled;

    Schedule(ProcessorNode node, long firstMs, long intervalMs, Punctuator punctuator) {
      this.node = node;
      this.nextMs = firstMs;
      this.intervalMs = intervalMs;
      this.punctuator = punctuator;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  /** Runs one punctuation for the owner (which sets up the context). */
  interface Runner {
    void run(Schedule schedule, long nowMs);
  }

  private final PriorityQueue<Schedule> queue =
      new PriorityQueue<>((a, b) -> Long.compare(a.nextMs, b.nextMs));

  Schedule schedule(ProcessorNode node, long firstMs, long intervalMs, Punctuator punctuator) {
    Schedule s = new Schedule(node, firstMs, intervalMs, punctuator);
    queue.add(s);
    return s;
  }

  /** Fires every schedule due at {@code nowMs}; true if any fired. */
  boolean maybePunctuate(long nowMs, Runner runner) {
    List<Schedule> due = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().nextMs <= nowMs) {
      due.add(queue.poll());
    }
    boolean fired = false;
    for (Schedule s : due) {
      if (s.cancelled) {
        continue;
      }
      long next = s.nextMs + s.intervalMs;
      if (next <= nowMs) {
        next = s.nextMs + ((nowMs - s.nextMs) / s.intervalMs + 1) * s.intervalMs;
      }
      s.nextMs = next;
      queue.add(s);
      runner.run(s, nowMs);
      fired = true;
    }
    queue.removeIf(s -> s.cancelled);
    return fired;
  }

  void clear() {
    queue.clear();
  }
}
