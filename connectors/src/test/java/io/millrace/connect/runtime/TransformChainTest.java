package io.millrace.connect.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The transforms people use most, configured as in Kafka Connect, with predicates. */
class TransformChainTest {
  private static final Schema VALUE = SchemaBuilder.struct().name("order")
      .field("id", Schema.INT64_SCHEMA).field("secret", Schema.STRING_SCHEMA)
      .field("total", Schema.FLOAT64_SCHEMA).build();
  private final Plugins plugins = new Plugins();

  private static SourceRecord record(String topic) {
    Struct v = new Struct(VALUE).put("id", 7L).put("secret", "x").put("total", 9.5);
    return new SourceRecord(Map.of(), Map.of(), topic, null, null, null, VALUE, v);
  }

  private TransformChain<SourceRecord> chain(Map<String, String> props) {
    return TransformChain.of(plugins, props);
  }

  @Test
  void insertRenameDropExtractAndRoute() {
    Map<String, String> p = new HashMap<>();
    p.put("transforms", "insert,rename,route,extract");
    p.put("transforms.insert.type", "org.apache.kafka.connect.transforms.InsertField$Value");
    p.put("transforms.insert.static.field", "origin");
    p.put("transforms.insert.static.value", "shop");
    p.put("transforms.rename.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
    p.put("transforms.rename.renames", "total:amount");
    p.put("transforms.rename.exclude", "secret");
    p.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    p.put("transforms.route.regex", "orders-(.*)");
    p.put("transforms.route.replacement", "archive-$1");
    p.put("transforms.extract.type", "org.apache.kafka.connect.transforms.ExtractField$Value");
    p.put("transforms.extract.field", "amount");
    try (TransformChain<SourceRecord> c = chain(p)) {
      SourceRecord out = c.apply(record("orders-eu"));
      assertThat(out.topic()).isEqualTo("archive-eu");
      assertThat(out.value()).isEqualTo(9.5);
    }
  }

  @Test
  void predicatesDecideWhereATransformApplies() {
    Map<String, String> p = new HashMap<>();
    p.put("transforms", "drop");
    p.put("transforms.drop.type", "org.apache.kafka.connect.transforms.Filter");
    p.put("transforms.drop.predicate", "isTest");
    p.put("predicates", "isTest");
    p.put("predicates.isTest.type",
        "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
    p.put("predicates.isTest.pattern", "test-.*");
    try (TransformChain<SourceRecord> c = chain(p)) {
      assertThat(c.apply(record("test-1"))).isNull();
      assertThat(c.apply(record("prod-1"))).isNotNull();
    }
    p.put("transforms.drop.negate", "true");
    try (TransformChain<SourceRecord> c = chain(p)) {
      assertThat(c.apply(record("test-1"))).isNotNull();
      assertThat(c.apply(record("prod-1"))).isNull();
    }
  }

  @Test
  void timestampRouterNamesTopicsByTime() {
    Map<String, String> p = Map.of("transforms", "t",
        "transforms.t.type", "org.apache.kafka.connect.transforms.TimestampRouter",
        "transforms.t.topic.format", "${topic}-${timestamp}",
        "transforms.t.timestamp.format", "yyyyMMdd");
    SourceRecord r = record("logs").newRecord("logs", null, null, null, VALUE,
        record("logs").value(), 1_700_000_000_000L);
    try (TransformChain<SourceRecord> c = chain(p)) {
      assertThat(c.apply(r).topic()).isEqualTo("logs-20231114");
    }
  }

  @Test
  void anUnknownPredicateAliasIsAConfigError() {
    Map<String, String> p = Map.of("transforms", "drop",
        "transforms.drop.type", "org.apache.kafka.connect.transforms.Filter",
        "transforms.drop.predicate", "nope");
    assertThatThrownBy(() -> chain(p)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("transforms.drop.predicate");
  }
}
