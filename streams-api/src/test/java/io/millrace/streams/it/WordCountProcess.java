package io.millrace.streams.it;

import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.kstream.Grouped;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Produced;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A word-count instance in its own JVM, for {@link WordCountFailoverIT} to kill. Arguments:
 * bootstrap servers, application id, state dir, input topic, output topic. Prints {@code
 * STATE <state>} lines; runs until killed.
 */
public final class WordCountProcess {
  private WordCountProcess() {}

  public static void main(String[] args) throws InterruptedException {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(args[3], Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.getDefault()).split("\\W+")))
        .groupBy((key, value) -> value, Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.as("counts-store"))
        .toStream()
        .to(args[4], Produced.with(Serdes.String(), Serdes.Long()));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
    p.put(StreamsConfig.CONSUMER_PREFIX + "session.timeout.ms", "2000");
    p.put(StreamsConfig.CONSUMER_PREFIX + "heartbeat.interval.ms", "300");
    p.put(StreamsConfig.PRODUCER_PREFIX + "linger.ms", "5");
    MillraceStreams streams = new MillraceStreams(b.build(), p);
    streams.setStateListener((now, before) -> {
      System.out.println("STATE " + now);
      System.out.flush();
    });
    streams.start();
    new CountDownLatch(1).await();
  }
}
