package io.millrace.runtime.tools.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class LineMessageReaderTest {

  static List<ProducerRecord<byte[], byte[]>> read(String input, String... props) {
    Map<String, Object> config = new HashMap<>();
    config.put("topic", "t");
    for (String p : props) {
      config.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
    }
    LineMessageReader reader = new LineMessageReader();
    reader.configure(config);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    reader.readRecords(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).forEachRemaining(records::add);
    return records;
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void eachLineIsAValue() {
    List<ProducerRecord<byte[], byte[]>> records = read("a\n\nc d\n");
    assertThat(records).extracting(r -> text(r.value())).containsExactly("a", "", "c d");
    assertThat(records).allMatch(r -> r.key() == null && r.topic().equals("t") && !r.headers().iterator().hasNext());
  }

  @Test
  void keysAndHeadersAreSplitOff() {
    ProducerRecord<byte[], byte[]> r = read("a:1,b:2|k=v=w\n", "parse.headers=true", "headers.delimiter=|",
        "parse.key=true", "key.separator==").get(0);
    assertThat(text(r.key())).isEqualTo("k");
    assertThat(text(r.value())).isEqualTo("v=w");
    assertThat(r.headers().toArray()).extracting(h -> h.key() + "=" + text(h.value())).containsExactly("a=1", "b=2");
  }

  @Test
  void theNullMarkerMakesNulls() {
    ProducerRecord<byte[], byte[]> r = read("h:NULL\tNULL\tNULL\n", "parse.headers=true", "parse.key=true",
        "null.marker=NULL").get(0);
    assertThat(r.key()).isNull();
    assertThat(r.value()).isNull();
    assertThat(r.headers().lastHeader("h").value()).isNull();
  }

  @Test
  void aMissingSeparatorIsAnErrorUnlessIgnored() {
    assertThatThrownBy(() -> read("k\tv\nno key\n", "parse.key=true"))
        .isInstanceOf(KafkaException.class).hasMessage("no key separator found on line 2: 'no key'");
    ProducerRecord<byte[], byte[]> r = read("no key\n", "parse.key=true", "ignore.error=true").get(0);
    assertThat(r.key()).isNull();
    assertThat(text(r.value())).isEqualTo("no key");
    assertThatThrownBy(() -> read("h\tv\n", "parse.headers=true"))
        .hasMessage("no header key separator found in 'h' on line 1");
  }

  @Test
  void separatorsThatWouldBeAmbiguousAreRefused() {
    assertThatThrownBy(() -> read("", "headers.delimiter=,"))
        .hasMessage("headers.delimiter and headers.separator may not be equal");
    assertThatThrownBy(() -> read("", "null.marker=\t")).hasMessage("null.marker and key.separator may not be equal");
    assertThatThrownBy(() -> read("", "key.separator=")).hasMessage("separators may not be empty");
  }
}
