package io.millrace.runtime.tools.console;

import io.millrace.runtime.tools.Plugins;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The console consumer's formatter, with the properties of Kafka's
 * {@code org.apache.kafka.tools.consumer.DefaultMessageFormatter} (also reachable by its older
 * name {@code kafka.tools.DefaultMessageFormatter}). One record per line:
 *
 * <pre>
 *   [CreateTime:ts&lt;sep&gt;][Partition:p&lt;sep&gt;][Offset:o&lt;sep&gt;][Delivery:n&lt;sep&gt;][h1:v1,h2:v2&lt;sep&gt;][key&lt;sep&gt;]value&lt;line.separator&gt;
 * </pre>
 *
 * Properties: {@code print.timestamp}, {@code print.partition}, {@code print.offset},
 * {@code print.delivery}, {@code print.headers}, {@code print.key} (all false),
 * {@code print.value} (true), {@code key.separator} (tab), {@code line.separator} (newline),
 * {@code headers.separator} (comma), {@code null.literal} ({@code null}), and
 * {@code key.deserializer}, {@code value.deserializer}, {@code headers.deserializer}: class names
 * of Kafka {@link Deserializer}s, configured with the properties under their name plus a dot
 * (with and without that prefix, so {@code value.deserializer.encoding} reaches a StringDeserializer). The
 * deserialized object is printed with {@code toString()}; byte arrays and buffers as their bytes.
 * Without a deserializer the raw bytes are printed.
 *
 * <p>Unlike Kafka's, a deserializer that cannot be loaded is an error at start (not a silent
 * fallback to raw bytes), and null keys and values print as the null literal without going
 * through the deserializer. Not thread-safe.
 */
public class DefaultMessageFormatter implements MessageFormatter {

  static final String DESERIALIZER_HINT = "Kafka's are org.apache.kafka.common.serialization.StringDeserializer, "
      + "LongDeserializer, IntegerDeserializer, DoubleDeserializer, ByteArrayDeserializer, UUIDDeserializer, ...";

  private boolean printTimestamp;
  private boolean printKey;
  private boolean printValue = true;
  private boolean printPartition;
  private boolean printOffset;
  private boolean printDelivery;
  private boolean printHeaders;
  private byte[] keySeparator = utf8("\t");
  private byte[] lineSeparator = utf8("\n");
  private byte[] headersSeparator = utf8(",");
  private byte[] nullLiteral = utf8("null");
  private Optional<Deserializer<?>> keyDeserializer = Optional.empty();
  private Optional<Deserializer<?>> valueDeserializer = Optional.empty();
  private Optional<Deserializer<?>> headersDeserializer = Optional.empty();

  @Override
  public void configure(Map<String, ?> configs) {
    printTimestamp = flag(configs, "print.timestamp", printTimestamp);
    printKey = flag(configs, "print.key", printKey);
    printOffset = flag(configs, "print.offset", printOffset);
    printDelivery = flag(configs, "print.delivery", printDelivery);
    printPartition = flag(configs, "print.partition", printPartition);
    printHeaders = flag(configs, "print.headers", printHeaders);
    printValue = flag(configs, "print.value", printValue);
    keySeparator = bytes(configs, "key.separator", keySeparator);
    lineSeparator = bytes(configs, "line.separator", lineSeparator);
    headersSeparator = bytes(configs, "headers.separator", headersSeparator);
    nullLiteral = bytes(configs, "null.literal", nullLiteral);
    keyDeserializer = deserializer(configs, "key.deserializer", true);
    valueDeserializer = deserializer(configs, "value.deserializer", false);
    headersDeserializer = deserializer(configs, "headers.deserializer", false);
  }

  @Override
  public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
    try {
      if (printTimestamp) {
        output.print(record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE
            ? "NO_TIMESTAMP" : record.timestampType() + ":" + record.timestamp());
        separator(output, printPartition || printOffset || printDelivery || printHeaders || printKey || printValue);
      }
      if (printPartition) {
        output.print("Partition:" + record.partition());
        separator(output, printOffset || printDelivery || printHeaders || printKey || printValue);
      }
      if (printOffset) {
        output.print("Offset:" + record.offset());
        separator(output, printDelivery || printHeaders || printKey || printValue);
      }
      if (printDelivery) {
        output.print("Delivery:" + record.deliveryCount().map(String::valueOf).orElse("NONE"));
        separator(output, printHeaders || printKey || printValue);
      }
      if (printHeaders) {
        writeHeaders(record, output);
        separator(output, printKey || printValue);
      }
      if (printKey) {
        output.write(render(record, keyDeserializer, record.key()));
        separator(output, printValue);
      }
      if (printValue) {
        output.write(render(record, valueDeserializer, record.value()));
        output.write(lineSeparator);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the output", e);
    }
  }

  @Override
  public void close() {
    keyDeserializer.ifPresent(Deserializer::close);
    valueDeserializer.ifPresent(Deserializer::close);
    headersDeserializer.ifPresent(Deserializer::close);
  }

  private void writeHeaders(ConsumerRecord<byte[], byte[]> record, PrintStream output) throws IOException {
    Iterator<Header> headers = record.headers().iterator();
    if (!headers.hasNext()) {
      output.print("NO_HEADERS");
      return;
    }
    while (headers.hasNext()) {
      Header h = headers.next();
      output.print(h.key() + ":");
      output.write(render(record, headersDeserializer, h.value()));
      if (headers.hasNext()) {
        output.write(headersSeparator);
      }
    }
  }

  private void separator(PrintStream output, boolean column) throws IOException {
    output.write(column ? keySeparator : lineSeparator);
  }

  private byte[] render(ConsumerRecord<byte[], byte[]> record, Optional<Deserializer<?>> deserializer, byte[] data) {
    if (data == null) {
      return nullLiteral;
    }
    if (deserializer.isEmpty()) {
      return data;
    }
    Object value = deserializer.get().deserialize(record.topic(), record.headers(), data);
    if (value == null) {
      return nullLiteral;
    } else if (value instanceof byte[] b) {
      return b;
    } else if (value instanceof ByteBuffer buffer) {
      byte[] b = new byte[buffer.remaining()];
      buffer.duplicate().get(b);
      return b;
    } else if (value instanceof Bytes b) {
      return b.get();
    }
    return utf8(value.toString());
  }

  private static Optional<Deserializer<?>> deserializer(Map<String, ?> configs, String key, boolean isKey) {
    Object name = configs.get(key);
    if (name == null || name.toString().isBlank()) {
      return Optional.empty();
    }
    Deserializer<?> d = Plugins.instantiate(name.toString(), Deserializer.class, key, Map.of(), DESERIALIZER_HINT);
    // Both spellings: Kafka's formatter strips the prefix ("encoding"), while kafka-clients'
    // own deserializers read the full name ("value.deserializer.encoding").
    Map<String, Object> own = new HashMap<>(configs);
    String prefix = key + ".";
    configs.forEach((k, v) -> {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        own.put(k.substring(prefix.length()), v);
      }
    });
    d.configure(own, isKey);
    return Optional.of(d);
  }

  private static boolean flag(Map<String, ?> configs, String key, boolean dflt) {
    Object v = configs.get(key);
    return v == null ? dflt : v.toString().trim().equalsIgnoreCase("true");
  }

  private static byte[] bytes(Map<String, ?> configs, String key, byte[] dflt) {
    Object v = configs.get(key);
    return v == null ? dflt : utf8(v.toString());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
