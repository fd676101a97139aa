package io.millrace.runtime.tools.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.runtime.tools.ToolException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.junit.jupiter.api.Test;

class DefaultMessageFormatterTest {

  static final String SERDE = "org.apache.kafka.common.serialization.";

  static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(new RecordHeader("h", "v".getBytes(StandardCharsets.UTF_8)));
    return new ConsumerRecord<>("t", 2, 41, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1, key, value,
        headers, Optional.empty());
  }

  static String format(ConsumerRecord<byte[], byte[]> record, String... props) {
    Map<String, String> config = new HashMap<>();
    for (String p : props) {
      config.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
    }
    DefaultMessageFormatter f = new DefaultMessageFormatter();
    f.configure(config);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    f.writeTo(record, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    f.close();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void printsTheValueByDefault() {
    assertThat(format(record(utf8("k"), utf8("v")))).isEqualTo("v\n");
  }

  @Test
  void printsEveryColumnInKafkasOrder() {
    assertThat(format(record(utf8("k"), utf8("v")), "print.timestamp=true", "print.partition=true",
        "print.offset=true", "print.delivery=true", "print.headers=true", "print.key=true"))
        .isEqualTo("CreateTime:1700000000000\tPartition:2\tOffset:41\tDelivery:NONE\th:v\tk\tv\n");
    assertThat(format(record(utf8("k"), utf8("v")), "print.key=true", "print.value=false")).isEqualTo("k\n");
    assertThat(format(record(utf8("k"), utf8("v")), "print.key=true", "key.separator=:", "line.separator=|"))
        .isEqualTo("k:v|");
  }

  @Test
  void decodesWithEachOfKafkasDeserializers() {
    UUID id = UUID.fromString("4b6a0d04-9c39-4b3c-93e2-6e0e7f2f2d11");
    assertThat(format(record(utf8("w"), new LongSerializer().serialize("t", 3L)), "print.key=true",
        "key.deserializer=" + SERDE + "StringDeserializer", "value.deserializer=" + SERDE + "LongDeserializer"))
        .isEqualTo("w\t3\n");
    assertThat(format(record(null, new IntegerSerializer().serialize("t", -7)),
        "value.deserializer=" + SERDE + "IntegerDeserializer")).isEqualTo("-7\n");
    assertThat(format(record(null, new DoubleSerializer().serialize("t", 2.5)),
        "value.deserializer=" + SERDE + "DoubleDeserializer")).isEqualTo("2.5\n");
    assertThat(format(record(null, new UUIDSerializer().serialize("t", id)),
        "value.deserializer=" + SERDE + "UUIDDeserializer")).isEqualTo(id + "\n");
    assertThat(format(record(null, new byte[] {'r', 'a', 'w'}),
        "value.deserializer=" + SERDE + "ByteArrayDeserializer")).as("bytes, not [B@...").isEqualTo("raw\n");
  }

  @Test
  void nullsPrintAsTheNullLiteralWithoutTheDeserializer() {
    assertThat(format(record(null, null), "print.key=true", "value.deserializer=" + SERDE + "LongDeserializer"))
        .isEqualTo("null\tnull\n");
    assertThat(format(record(null, null), "print.key=true", "null.literal=~")).isEqualTo("~\t~\n");
  }

  @Test
  void deserializersAreConfiguredWithTheirPrefixedProperties() {
    assertThat(format(record(null, new byte[] {(byte) 0xe9}), "value.deserializer=" + SERDE + "StringDeserializer",
        "value.deserializer.encoding=ISO-8859-1")).isEqualTo("é\n");
  }

  @Test
  void anUnknownDeserializerIsAnErrorNotASilentFallback() {
    assertThatThrownBy(() -> format(record(null, utf8("v")), "value.deserializer=LongDeserializer"))
        .isInstanceOf(ToolException.class)
        .hasMessageStartingWith("value.deserializer class 'LongDeserializer' was not found on the classpath");
  }
}
