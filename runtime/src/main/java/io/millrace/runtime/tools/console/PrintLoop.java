package io.millrace.runtime.tools.console;

import io.millrace.runtime.tools.KafkaFailures;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.MessageFormatter;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console consumer's poll loop: prints records through the formatter until the record limit,
 * the idle timeout, a record that cannot be printed, or {@link #stop()} (the Ctrl-C shutdown hook,
 * from another thread). Output is buffered and flushed after each poll.
 *
 * <p>The idle timeout ({@code --timeout-ms}) counts from the moment partitions are assigned: the
 * time spent joining the group (the broker's {@code group.initial.rebalance.delay.ms}, 3 s by
 * default) is not idleness. A join that takes over 30 s more than the timeout ends the loop too.
 *
 * <p>The group commits only what was printed: when the loop ends inside a batch, each partition's
 * position moves back to its first record not printed before the consumer closes (and commits).
 */
final class PrintLoop {

  private static final Logger log = LoggerFactory.getLogger(PrintLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(500);
  /** With an idle timeout, joining the group may take this much longer before the timeout counts. */
  private static final long MAX_JOIN_NS = TimeUnit.SECONDS.toNanos(30);

  private final long limit;
  private final long idleLimitNs;
  private final boolean skipMessageOnError;
  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean stopping;
  private long count;

  PrintLoop(long maxMessages, long idleTimeoutMs, boolean skipMessageOnError, PrintStream out, PrintStream err) {
    this.limit = maxMessages;
    this.idleLimitNs = idleTimeoutMs == Long.MAX_VALUE ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    this.skipMessageOnError = skipMessageOnError;
    this.out = out;
    this.err = err;
  }

  boolean started() {
    return consumer != null;
  }

  long count() {
    return count;
  }

  /** Runs until done; 0, or 1 when a record could not be printed. */
  int run(KafkaConsumer<byte[], byte[]> consumer, MessageFormatter formatter) {
    this.consumer = consumer;
    PrintStream sink = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
    long lastRecordNs = System.nanoTime();
    long joinDeadlineNs = idleLimitNs == Long.MAX_VALUE ? Long.MAX_VALUE : lastRecordNs + idleLimitNs + MAX_JOIN_NS;
    try {
      while (count < limit && !stopping) {
        long now = System.nanoTime();
        if (consumer.assignment().isEmpty() && now < joinDeadlineNs) {
          // Still joining the group: no record can be available yet, so the idle time has not begun.
          lastRecordNs = now;
        }
        long idleNs = now - lastRecordNs;
        if (idleNs >= idleLimitNs) {
          break;
        }
        Duration wait = idleLimitNs == Long.MAX_VALUE ? IDLE_POLL
            : Duration.ofNanos(Math.min(IDLE_POLL.toNanos(), idleLimitNs - idleNs));
        ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
        Map<TopicPartition, Long> unprinted = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          if (count >= limit) {
            unprinted.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
          } else if (print(formatter, record, sink)) {
            count++;
          } else {
            unprinted.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
            unprinted.forEach(consumer::seek);
            return 1;
          }
        }
        unprinted.forEach(consumer::seek);
        if (!records.isEmpty()) {
          lastRecordNs = System.nanoTime();
        }
        sink.flush();
      }
    } catch (WakeupException e) {
      log.debug("Woken up to stop");
    } finally {
      sink.flush();
    }
    return 0;
  }

  /** False when the record could not be printed and the tool must stop. */
  private boolean print(MessageFormatter formatter, ConsumerRecord<byte[], byte[]> record, PrintStream sink) {
    try {
      formatter.writeTo(record, sink);
      return true;
    } catch (RuntimeException e) {
      sink.flush();
      String where = record.topic() + "-" + record.partition() + " at offset " + record.offset();
      String why = KafkaFailures.message(KafkaFailures.unwrap(e));
      if (skipMessageOnError) {
        err.println("Skipping the record of " + where + ": " + why);
        return true;
      }
      err.println("Error: cannot format the record of " + where + ": " + why + " (--skip-message-on-error skips such records)");
      return false;
    }
  }

  /** The loop has ended and the totals are printed: a waiting {@link #stop()} may return. */
  void finished() {
    finished.countDown();
  }

  /** Called by the shutdown hook: wakes the poll and waits (at most 10 s) until the totals are printed. */
  void stop() {
    stopping = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      finished.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
