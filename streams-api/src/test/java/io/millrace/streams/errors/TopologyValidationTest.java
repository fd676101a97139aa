package io.millrace.streams.errors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.Topology;
import io.millrace.streams.kstream.Materialized;
import io.millrace.streams.kstream.Named;
import io.millrace.streams.state.Stores;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Topologies that cannot work are refused at once, with a message naming the problem. */
class TopologyValidationTest {

  @Test
  void duplicateNodeNames() {
    Topology t = new Topology().addSource("s", "a");
    assertThatThrownBy(() -> t.addSource("s", "b")).isInstanceOf(TopologyException.class)
        .hasMessageContaining("a node named s already exists");
  }

  @Test
  void twoSourcesForOneTopic() {
    Topology t = new Topology().addSource("s1", "a");
    assertThatThrownBy(() -> t.addSource("s2", "a")).hasMessageContaining("topic a is read by two sources");
  }

  @Test
  void unknownOrMissingParents() {
    Topology t = new Topology().addSource("s", "a");
    assertThatThrownBy(() -> t.addProcessor("p", () -> r -> {}, "nope"))
        .hasMessageContaining("parent nope of p does not exist");
    assertThatThrownBy(() -> t.addProcessor("p", () -> r -> {})).hasMessageContaining("p needs at least one parent");
    t.addSink("k", "out", "s");
    assertThatThrownBy(() -> t.addProcessor("q", () -> r -> {}, "k")).hasMessageContaining("sink k cannot be the parent");
  }

  @Test
  void illegalTopicAndStoreNames() {
    assertThatThrownBy(() -> new Topology().addSource("s", "bad topic")).hasMessageContaining("not a legal topic name");
    assertThatThrownBy(() -> new Topology().addSource("s")).hasMessageContaining("reads no topic");
    assertThatThrownBy(() -> Stores.inMemoryKeyValueStore("bad/name")).hasMessageContaining("is not legal");
    assertThatThrownBy(() -> Named.as("")).hasMessageContaining("is not legal");
    assertThatThrownBy(() -> Materialized.as("a b")).hasMessageContaining("is not legal");
  }

  @Test
  void storesMustExistBeforeConnecting() {
    Topology t = new Topology().addSource("s", "a").addProcessor("p", () -> r -> {}, "s");
    assertThatThrownBy(() -> t.connectProcessorAndStateStores("p", "ghost"))
        .hasMessageContaining("store ghost is not added");
    assertThatThrownBy(() -> t.addStateStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("x"), Serdes.String(), Serdes.String()), "s"))
        .hasMessageContaining("can only be connected to a processor, not s");
  }

  @Test
  void aBuilderBuildsOnce() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("a").to("b");
    b.build();
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.stream("c")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void duplicateDslNamesAreCaughtAtBuild() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("a").filter((k, v) -> true, Named.as("f")).filter((k, v) -> true, Named.as("f"));
    assertThatThrownBy(b::build).hasMessageContaining("a node named f already exists");
  }
}
