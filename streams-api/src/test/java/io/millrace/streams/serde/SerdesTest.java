package io.millrace.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class SerdesTest {

  record Order(String id, double amount) {}

  @Test
  void windowedKeysUseKafkaStreamsLayouts() {
    Serde<Windowed<String>> time = WindowedSerdes.timeWindowedSerdeFrom(String.class, 60_000);
    byte[] bytes = time.serializer().serialize("t", new Windowed<>("ann", new Window(120_000, 180_000)));
    assertThat(bytes).isEqualTo(ByteBuffer.allocate(11).put("ann".getBytes(StandardCharsets.UTF_8))
        .putLong(120_000).array());
    assertThat(time.deserializer().deserialize("t", bytes)).isEqualTo(new Windowed<>("ann", new Window(120_000, 180_000)));

    Serde<Windowed<Long>> session = WindowedSerdes.sessionWindowed(Serdes.Long());
    Windowed<Long> s = new Windowed<>(7L, new Window(10, 20));
    byte[] sb = session.serializer().serialize("t", s);
    assertThat(ByteBuffer.wrap(sb).getLong(8)).as("end first").isEqualTo(20);
    assertThat(session.deserializer().deserialize("t", sb)).isEqualTo(s);
  }

  @Test
  void truncatedWindowedKeysAreRejected() {
    assertThatThrownBy(() -> WindowedSerdes.timeWindowedSerdeFrom(String.class, 10).deserializer()
        .deserialize("t", new byte[3])).isInstanceOf(SerializationException.class).hasMessageContaining("8 bytes");
    assertThatThrownBy(() -> WindowedSerdes.sessionWindowedSerdeFrom(String.class).deserializer()
        .deserialize("t", new byte[9])).isInstanceOf(SerializationException.class).hasMessageContaining("16 bytes");
  }

  @Test
  void jsonRoundTripsRecordsAndIgnoresUnknownFields() {
    JsonSerde<Order> serde = JsonSerde.of(Order.class);
    byte[] bytes = serde.serializer().serialize("t", new Order("o1", 12.5));
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o1\",\"amount\":12.5}");
    assertThat(serde.deserializer().deserialize("t",
        "{\"id\":\"o2\",\"amount\":3,\"extra\":true}".getBytes(StandardCharsets.UTF_8))).isEqualTo(new Order("o2", 3));
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void badJsonNamesTheTargetType() {
    assertThatThrownBy(() -> JsonSerde.of(Order.class).deserializer().deserialize("orders",
        "{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(Order.class.getName())
        .hasMessageContaining("orders");
  }
}
