package io.millrace.streams.internals.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.state.KeyValueIterator;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStructuredKeyValueStoreTest {
  @TempDir Path dir;

  private LogStructuredKeyValueStore open() {
    LogStructuredKeyValueStore s = new LogStructuredKeyValueStore("s", dir.toFile());
    s.open();
    return s;
  }

  private static Bytes k(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
    List<String> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> out.add(new String(kv.key().get(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void putGetOverwriteDeleteBeforeAndAfterFlush() {
    LogStructuredKeyValueStore s = open();
    s.put(k("a"), v("1"));
    s.put(k("a"), v("2"));
    assertThat(s.get(k("a"))).isEqualTo(v("2"));
    s.flush();
    assertThat(s.get(k("a"))).isEqualTo(v("2"));
    assertThat(s.delete(k("a"))).isEqualTo(v("2"));
    assertThat(s.get(k("a"))).isNull();
    assertThat(s.approximateNumEntries()).isZero();
    s.flush();
    assertThat(s.get(k("a"))).isNull();
    assertThat(s.putIfAbsent(k("b"), v("x"))).isNull();
    assertThat(s.putIfAbsent(k("b"), v("y"))).isEqualTo(v("x"));
    s.close();
  }

  @Test
  void rangesAndPrefixesFollowUnsignedByteOrder() {
    LogStructuredKeyValueStore s = open();
    for (String key : List.of("b", "a", "ab", "c", "abc")) {
      s.put(k(key), v(key));
    }
    s.flush();
    s.delete(k("c"));
    assertThat(keys(s.all())).containsExactly("a", "ab", "abc", "b");
    assertThat(keys(s.range(k("ab"), k("b")))).containsExactly("ab", "abc", "b");
    assertThat(keys(s.range(null, k("ab")))).containsExactly("a", "ab");
    assertThat(keys(s.prefixScan("ab", new StringSerializer()))).containsExactly("ab", "abc");
    s.close();
  }

  @Test
  void reopeningRebuildsTheIndexFromTheFile() {
    LogStructuredKeyValueStore s = open();
    s.put(k("a"), v("1"));
    s.put(k("b"), v("2"));
    s.put(k("a"), v("3"));
    s.delete(k("b"));
    s.close();
    LogStructuredKeyValueStore again = open();
    assertThat(again.get(k("a"))).isEqualTo(v("3"));
    assertThat(again.get(k("b"))).isNull();
    assertThat(keys(again.all())).containsExactly("a");
    again.close();
  }

  @Test
  void aTornTailIsTruncatedAndEverythingBeforeItKept() throws IOException {
    LogStructuredKeyValueStore s = open();
    s.put(k("a"), v("1"));
    s.put(k("b"), v("2"));
    s.close();
    File data = dir.resolve(LogStructuredKeyValueStore.DATA_FILE).toFile();
    long good = data.length();
    Files.write(data.toPath(), new byte[] {0, 0, 0, 1, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
    LogStructuredKeyValueStore again = open();
    assertThat(again.get(k("a"))).isEqualTo(v("1"));
    assertThat(again.get(k("b"))).isEqualTo(v("2"));
    assertThat(data.length()).isEqualTo(good);
    again.put(k("c"), v("3"));
    again.close();
    LogStructuredKeyValueStore third = open();
    assertThat(keys(third.all())).containsExactly("a", "b", "c");
    third.close();
  }

  @Test
  void aCorruptEntryEndsTheValidPrefix() throws IOException {
    LogStructuredKeyValueStore s = open();
    s.put(k("a"), v("1"));
    s.flush();
    long firstEntryEnd = s.fileBytes();
    s.put(k("b"), v("2"));
    s.put(k("c"), v("3"));
    s.close();
    File data = dir.resolve(LogStructuredKeyValueStore.DATA_FILE).toFile();
    try (RandomAccessFile raf = new RandomAccessFile(data, "rw")) {
      raf.seek(firstEntryEnd + LogStructuredKeyValueStore.HEADER_BYTES);
      raf.write('X');
    }
    LogStructuredKeyValueStore again = open();
    assertThat(again.get(k("a"))).isEqualTo(v("1"));
    assertThat(again.get(k("b"))).isNull();
    assertThat(again.get(k("c"))).isNull();
    assertThat(data.length()).isEqualTo(firstEntryEnd);
    again.close();
  }

  @Test
  void absurdLengthsInAHeaderAreTreatedAsCorruption() throws IOException {
    LogStructuredKeyValueStore s = open();
    s.put(k("a"), v("1"));
    s.close();
    File data = dir.resolve(LogStructuredKeyValueStore.DATA_FILE).toFile();
    long good = data.length();
    try (RandomAccessFile raf = new RandomAccessFile(data, "rw")) {
      raf.seek(good);
      raf.writeInt(0);
      raf.writeInt(Integer.MAX_VALUE);
      raf.writeInt(5);
      raf.write(new byte[20]);
    }
    LogStructuredKeyValueStore again = open();
    assertThat(keys(again.all())).containsExactly("a");
    assertThat(data.length()).isEqualTo(good);
    again.close();
  }

  @Test
  void compactionDropsDeadEntriesAndKeepsEveryLiveValue() {
    LogStructuredKeyValueStore s = open();
    Random random = new Random(42);
    System.out.println("seed 42");
    byte[] big = new byte[8 * 1024];
    List<byte[]> latest = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 300; i++) {
        random.nextBytes(big);
        byte[] value = big.clone();
        if (round == 3) {
          latest.add(value);
        }
        s.put(k("key-" + i), value);
      }
      s.flush();
    }
    s.delete(k("key-0"));
    s.flush();
    long live = 299L * (8 * 1024 + 12 + 7);
    assertThat(s.fileBytes()).isLessThan(live * 2);
    for (int i = 1; i < 300; i++) {
      assertThat(s.get(k("key-" + i))).isEqualTo(latest.get(i));
    }
    s.close();
    LogStructuredKeyValueStore again = open();
    assertThat(again.get(k("key-0"))).isNull();
    assertThat(again.get(k("key-299"))).isEqualTo(latest.get(299));
    assertThat(again.approximateNumEntries()).isEqualTo(299);
    again.close();
  }

  @Test
  void pendingWritesBeyondTheLimitAreWrittenBeforeTheFlush() {
    LogStructuredKeyValueStore s = open();
    byte[] value = new byte[1024 * 1024];
    for (int i = 0; i < 10; i++) {
      s.put(k("k" + i), value);
    }
    assertThat(s.fileBytes()).isGreaterThan(LogStructuredKeyValueStore.MAX_PENDING_BYTES);
    assertThat(s.get(k("k0"))).hasSize(value.length);
    s.close();
  }

  @Test
  void restoreReplaysChangelogRecordsIncludingDeletes() {
    LogStructuredKeyValueStore s = open();
    s.restore(List.of(
        new org.apache.kafka.clients.consumer.ConsumerRecord<>("c", 0, 0, v("a"), v("1")),
        new org.apache.kafka.clients.consumer.ConsumerRecord<>("c", 0, 1, v("b"), v("2")),
        new org.apache.kafka.clients.consumer.ConsumerRecord<>("c", 0, 2, v("a"), null)));
    assertThat(keys(s.all())).containsExactly("b");
    s.close();
  }

  @Test
  void iteratorsSurviveConcurrentWritesAndFlushes() {
    LogStructuredKeyValueStore s = open();
    for (int i = 0; i < 100; i++) {
      s.put(k(String.format("%03d", i)), v("x"));
    }
    s.flush();
    KeyValueIterator<Bytes, byte[]> it = s.all();
    KeyValue<Bytes, byte[]> first = it.next();
    for (int i = 0; i < 100; i += 2) {
      s.put(k(String.format("%03d", i)), v("y"));
    }
    s.flush();
    int seen = 1;
    while (it.hasNext()) {
      assertThat(it.next().value()).isNotNull();
      seen++;
    }
    it.close();
    assertThat(first.key()).isEqualTo(k("000"));
    assertThat(seen).isEqualTo(100);
    s.close();
  }
}
