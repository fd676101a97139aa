package io.millrace.streams.internals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.Topology;
import io.millrace.streams.errors.TopologyException;
import io.millrace.streams.kstream.Grouped;
import io.millrace.streams.kstream.KTable;
import io.millrace.streams.kstream.Repartitioned;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many partitions each repartition topic gets (no broker: the counting rules only). */
class InternalTopicManagerTest {

  private static Map<String, Integer> counts(Topology t, Map<String, Integer> external) {
    StreamsConfig config = new StreamsConfig(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "app"));
    return new InternalTopicManager(null, t.internalBuilder(), config).repartitionCounts(external);
  }

  @Test
  void aRepartitionTakesTheWidestInputOfItsWriter() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(java.util.List.of("a", "b")).selectKey((k, v) -> v).groupByKey(Grouped.as("g")).count();
    assertThat(counts(b.build(), Map.of("a", 3, "b", 5))).isEqualTo(Map.of("g-repartition", 5));
  }

  @Test
  void aRepartitionJoinedWithATableTakesTheTablesCount() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<Object, Object> t = b.table("t");
    b.stream("s").selectKey((k, v) -> v).join(t, (x, y) -> x,
        io.millrace.streams.kstream.Joined.as("j"));
    assertThat(counts(b.build(), Map.of("s", 2, "t", 4))).isEqualTo(Map.of("j-repartition", 4));
  }

  @Test
  void explicitCountsStayAndChainsResolve() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("s").repartition(Repartitioned.numberOfPartitions(5).withName("first"))
        .selectKey((k, v) -> v).groupByKey(Grouped.as("second")).count();
    assertThat(counts(b.build(), Map.of("s", 2))).isEqualTo(Map.of("first-repartition", 5, "second-repartition", 5));
  }

  @Test
  void joinedSourcesMustHaveEqualCounts() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<Object, Object> t = b.table("t");
    b.stream("s").join(t, (x, y) -> x);
    assertThatThrownBy(() -> counts(b.build(), Map.of("s", 2, "t", 3)))
        .isInstanceOf(TopologyException.class).hasMessageContaining("must have the same partition count");
  }
}
