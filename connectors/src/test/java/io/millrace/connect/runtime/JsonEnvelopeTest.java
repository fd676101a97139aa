package io.millrace.connect.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

/**
 * The worker's default converter writes exactly Kafka Connect's JsonConverter envelope: the
 * bytes below are what Kafka Connect writes for this record, so consumers of either read both.
 */
class JsonEnvelopeTest {
  private final Plugins plugins = new Plugins();

  @Test
  void structWithLogicalTypesAndOptionalFields() {
    Schema schema = SchemaBuilder.struct().name("order")
        .field("id", Schema.INT32_SCHEMA)
        .field("note", Schema.OPTIONAL_STRING_SCHEMA)
        .field("price", Decimal.schema(2))
        .field("day", Date.SCHEMA)
        .field("at", Timestamp.SCHEMA)
        .build();
    Struct value = new Struct(schema).put("id", 1).put("note", null)
        .put("price", new BigDecimal("12.34"))
        .put("day", new java.util.Date(86_400_000L))
        .put("at", new java.util.Date(1_700_000_000_000L));
    Converter json = plugins.newPlugin("value.converter",
        "org.apache.kafka.connect.json.JsonConverter", Converter.class);
    json.configure(Map.of(), false);
    String out = new String(json.fromConnectData("t", schema, value), StandardCharsets.UTF_8);
    assertThat(out).isEqualTo("{\"schema\":{\"type\":\"struct\",\"fields\":["
        + "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
        + "{\"type\":\"string\",\"optional\":true,\"field\":\"note\"},"
        + "{\"type\":\"bytes\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"version\":1,\"parameters\":{\"scale\":\"2\"},\"field\":\"price\"},"
        + "{\"type\":\"int32\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Date\","
        + "\"version\":1,\"field\":\"day\"},"
        + "{\"type\":\"int64\",\"optional\":false,"
        + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1,\"field\":\"at\"}],"
        + "\"optional\":false,\"name\":\"order\"},"
        + "\"payload\":{\"id\":1,\"note\":null,\"price\":\"BNI=\",\"day\":1,"
        + "\"at\":1700000000000}}");
    SchemaAndValue back = json.toConnectData("t", out.getBytes(StandardCharsets.UTF_8));
    assertThat(back.value()).isEqualTo(value);
  }

  @Test
  void stringAndByteArrayConvertersPassValuesThrough() {
    Converter string = plugins.newPlugin("value.converter",
        "org.apache.kafka.connect.storage.StringConverter", Converter.class);
    string.configure(Map.of(), false);
    assertThat(string.fromConnectData("t", Schema.STRING_SCHEMA, "héllo"))
        .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    Converter bytes = plugins.newPlugin("value.converter",
        "org.apache.kafka.connect.converters.ByteArrayConverter", Converter.class);
    bytes.configure(Map.of(), false);
    byte[] raw = {0, 1, (byte) 0xff};
    assertThat(bytes.fromConnectData("t", Schema.BYTES_SCHEMA, raw)).isEqualTo(raw);
    assertThat(bytes.toConnectData("t", raw).value()).isEqualTo(raw);
  }
}
