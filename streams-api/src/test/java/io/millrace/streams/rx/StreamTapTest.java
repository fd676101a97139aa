package io.millrace.streams.rx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.KeyValue;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.kstream.Consumed;
import io.millrace.streams.testing.TestInputTopic;
import io.millrace.streams.testing.TopologyTestDriver;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class StreamTapTest {

  @Test
  void aStreamsRecordsReachTheSubscriberInOrder() throws Exception {
    StreamsBuilder b = new StreamsBuilder();
    Flowable<KeyValue<String, Integer>> lengths =
        RxStreams.asFlowable(b.stream("in", Consumed.with(Serdes.String(), Serdes.String())).mapValues(String::length), 16);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestSubscriber<KeyValue<String, Integer>> sub = lengths.test();
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("a", "x");
      in.pipeInput("b", "yy");
      in.pipeInput("c", "zzz");
      sub.awaitCount(3);
      sub.assertValues(KeyValue.pair("a", 1), KeyValue.pair("b", 2), KeyValue.pair("c", 3));
      sub.cancel();
    }
  }

  @Test
  void aFullBufferHoldsTheStreamThreadUntilTheSubscriberAsks() throws Exception {
    StreamsBuilder b = new StreamsBuilder();
    Flowable<KeyValue<String, String>> tap =
        RxStreams.asFlowable(b.stream("in", Consumed.with(Serdes.String(), Serdes.String())), 1);
    try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
      TestInputTopic<String, String> in = d.createInputTopic("in", new StringSerializer(), new StringSerializer());
      in.pipeInput("k", "1");
      Thread piper = new Thread(() -> in.pipeInput("k", "2"));
      piper.start();
      piper.join(300);
      assertThat(piper.isAlive()).as("the second record waits for room").isTrue();
      TestSubscriber<KeyValue<String, String>> sub = tap.test(1);
      sub.awaitCount(1);
      piper.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(piper.isAlive()).isFalse();
      sub.request(1);
      sub.awaitCount(2);
      sub.assertValues(KeyValue.pair("k", "1"), KeyValue.pair("k", "2"));
      sub.cancel();
    }
  }

  @Test
  void oneSubscriberAtATimeAndTheBufferNeedsRoom() throws Exception {
    StreamsBuilder b = new StreamsBuilder();
    Flowable<KeyValue<Object, Object>> tap = RxStreams.asFlowable(b.stream("in"), 4);
    TestSubscriber<KeyValue<Object, Object>> first = tap.test();
    TestSubscriber<KeyValue<Object, Object>> second = tap.test();
    second.await(5, TimeUnit.SECONDS);
    second.assertError(IllegalStateException.class);
    first.cancel();
    assertThatThrownBy(() -> RxStreams.asFlowable(new StreamsBuilder().stream("x"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
