package io.millrace.samples;

import io.millrace.streams.MillraceStreams;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.kstream.KStream;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Produced;
import io.millrace.streams.state.KeyValueStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;

/**
 * Word count, as the Kafka Streams tutorial writes it: reads lines from {@code
 * streams-plaintext-input}, splits each into lower-cased words on non-word characters, counts
 * each word, and writes the running counts to {@code streams-wordcount-output} (String keys,
 * Long values: read them with kafka-clients' {@code LongDeserializer}).
 *
 * <p>Run it with {@code bin/millrace streams run WordCount --bootstrap-server localhost:9092},
 * or with {@code main} from an IDE.
 */
public final class WordCount implements StreamsApplication {
  public static final String INPUT_TOPIC = "streams-plaintext-input";
  public static final String OUTPUT_TOPIC = "streams-wordcount-output";

  @Override
  public Properties defaults() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-wordcount");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    // Every update visible at once, as in Kafka's WordCountDemo (a production app keeps the cache).
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
    return props;
  }

  @Override
  public Topology topology(Properties config) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> source = builder.stream(INPUT_TOPIC);
    source
        .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.getDefault()).split("\\W+")))
        .groupBy((key, value) -> value)
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts-store"))
        .toStream()
        .to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build(config);
  }

  /** Runs against {@code localhost:9092} (or the first argument) until Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    WordCount app = new WordCount();
    Properties props = app.defaults();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "localhost:9092");
    MillraceStreams streams = new MillraceStreams(app.topology(props), props);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close();
      stopped.countDown();
    }, "wordcount-shutdown"));
    streams.start();
    stopped.await();
  }
}
