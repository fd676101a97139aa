package io.millrace.samples;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.kstream.Suppressed;
import io.millrace.streams.kstream.TimeWindows;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.state.WindowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

/**
 * A windowed count in event time: clicks per user per minute, tolerating late clicks.
 *
 * <p>Reads {@code clicks} (key: user, value: the page; the record timestamp is when the click
 * happened). Counts per user in one-minute tumbling windows that accept clicks up to 30 seconds
 * late (the grace period): a late click within grace updates its window; a later one is dropped
 * and counted in the {@code dropped-records-total} metric.
 *
 * <ul>
 *   <li>{@code clicks-per-minute}: every update, key {@code user@2024-05-01T10:15:00Z}, value the
 *       count so far (the record cache folds updates within a commit interval).
 *   <li>{@code clicks-per-minute-final}: one record per user and minute, once the window has
 *       closed (its end plus the grace period has passed in stream time).
 * </ul>
 */
public final class ClicksPerUserPerMinute implements StreamsApplication {
  public static final String INPUT_TOPIC = "clicks";
  public static final String UPDATES_TOPIC = "clicks-per-minute";
  public static final String FINAL_TOPIC = "clicks-per-minute-final";
  public static final Duration WINDOW = Duration.ofMinutes(1);
  public static final Duration GRACE = Duration.ofSeconds(30);

  @Override
  public Properties defaults() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "clicks-per-user-per-minute");
    return props;
  }

  @Override
  public Topology topology(Properties config) {
    StreamsBuilder builder = new StreamsBuilder();
    KTable<Windowed<String>, Long> counts = builder
        .stream(INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, GRACE))
        .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("clicks-per-minute-store")
            .withKeySerde(Serdes.String()));
    counts.toStream()
        .map((window, count) -> KeyValue.pair(label(window), count))
        .to(UPDATES_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
    counts.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .map((window, count) -> KeyValue.pair(label(window), count))
        .to(FINAL_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build(config);
  }

  /** {@code user@<window start>}. */
  static String label(Windowed<String> window) {
    return window.key() + "@" + Instant.ofEpochMilli(window.window().start());
  }
}
