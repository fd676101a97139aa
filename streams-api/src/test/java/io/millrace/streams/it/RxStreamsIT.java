package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.rx.RxStreams;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Flowables into and out of topics against the real broker, with back-pressure. */
class RxStreamsIT extends BrokerTest {

  private static Map<String, Object> producer() {
    return Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", "5");
  }

  private static Map<String, Object> consumer(String group) {
    Map<String, Object> c = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers()));
    if (group != null) {
      c.put("group.id", group);
    }
    return c;
  }

  @Test
  void aFlowableIsPublishedAndReadBackInOrder() throws Exception {
    StreamsItSupport.createTopics(broker, 1, "rx-numbers");
    RxStreams.publish(Flowable.range(0, 1000).map(i -> KeyValue.pair(i, i * 2)), "rx-numbers", producer(),
        new IntegerSerializer(), new IntegerSerializer(), 16).blockingAwait(30, TimeUnit.SECONDS);
    List<ConsumerRecord<Integer, Integer>> read = RxStreams.fromTopic(consumer(null), List.of("rx-numbers"),
        new IntegerDeserializer(), new IntegerDeserializer()).take(1000).toList().blockingGet();
    assertThat(read).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(read.get(i).key()).isEqualTo(i);
      assertThat(read.get(i).value()).isEqualTo(2 * i);
    }
  }

  @Test
  void theReaderOnlyDeliversWhatIsRequested() throws Exception {
    StreamsItSupport.createTopics(broker, 1, "rx-requested");
    RxStreams.publish(Flowable.range(0, 100).map(i -> KeyValue.pair(i, i)), "rx-requested", producer(),
        new IntegerSerializer(), new IntegerSerializer()).blockingAwait(30, TimeUnit.SECONDS);
    TestSubscriber<ConsumerRecord<Integer, Integer>> sub = RxStreams.fromTopic(consumer(null),
        List.of("rx-requested"), new IntegerDeserializer(), new IntegerDeserializer()).test(5);
    sub.awaitCount(5);
    sub.await(300, TimeUnit.MILLISECONDS);
    assertThat(sub.values()).hasSize(5);
    sub.request(10);
    sub.awaitCount(15);
    assertThat(sub.values()).hasSize(15);
    sub.cancel();
  }

  @Test
  void aGroupResumesAfterTheLastDeliveredRecord() throws Exception {
    StreamsItSupport.createTopics(broker, 2, "rx-group");
    RxStreams.publish(Flowable.range(0, 40).map(i -> KeyValue.pair(i, i)), "rx-group", producer(),
        new IntegerSerializer(), new IntegerSerializer()).blockingAwait(30, TimeUnit.SECONDS);
    List<ConsumerRecord<Integer, Integer>> first = RxStreams.fromTopic(consumer("rx-readers"), List.of("rx-group"),
        new IntegerDeserializer(), new IntegerDeserializer()).take(15).toList().blockingGet();
    List<ConsumerRecord<Integer, Integer>> rest = RxStreams.fromTopic(consumer("rx-readers"), List.of("rx-group"),
        new IntegerDeserializer(), new IntegerDeserializer()).take(25).toList().blockingGet();
    java.util.Set<Integer> all = new java.util.HashSet<>();
    first.forEach(r -> all.add(r.key()));
    rest.forEach(r -> all.add(r.key()));
    assertThat(all).hasSize(40);
  }

  @Test
  void publishingFailsWhenTheTopicCannotBeWritten() {
    Map<String, Object> p = new HashMap<>(producer());
    p.put("max.block.ms", "500");
    Throwable error = RxStreams.publish(Flowable.just(KeyValue.pair("k", "v")), "rx-no-such-topic", p,
        new StringSerializer(), new StringSerializer()).materialize().blockingGet().getError();
    assertThat(error).isNotNull();
  }

  @Test
  void wordCountFedAndReadThroughFlowables() throws Exception {
    StreamsItSupport.createTopics(broker, 2, WordCount.INPUT, WordCount.OUTPUT);
    Path dir = StreamsItSupport.tempDir("rx-wordcount");
    MillraceStreams streams = new MillraceStreams(WordCount.topology(),
        StreamsItSupport.streamsProps(broker, "rx-wordcount", dir));
    try {
      streams.start();
      List<String> lines = List.of("flow with the river", "the river flows", "WITH the flow");
      RxStreams.publish(Flowable.fromIterable(lines).map(l -> KeyValue.pair((String) null, l)), WordCount.INPUT,
          producer(), new StringSerializer(), new StringSerializer()).blockingAwait(30, TimeUnit.SECONDS);
      Map<String, Long> expected = WordCountIT.expected(lines);
      Map<String, Long> latest = new java.util.concurrent.ConcurrentHashMap<>();
      var subscription = RxStreams.fromTopic(consumer(null), List.of(WordCount.OUTPUT), new StringDeserializer(),
          new LongDeserializer()).subscribe(r -> latest.put(r.key(), r.value()));
      try {
        await(Duration.ofSeconds(60), () -> latest.equals(expected), () -> "counts " + latest);
      } finally {
        subscription.dispose();
      }
    } finally {
      streams.close(Duration.ofSeconds(30));
      StateDirectories.deleteRecursively(dir.toFile());
    }
  }
}
