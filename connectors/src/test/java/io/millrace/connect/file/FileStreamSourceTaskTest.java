package io.millrace.connect.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file source task on real files: partial lines, offsets, truncation, rotation. */
class FileStreamSourceTaskTest {
  @TempDir Path dir;
  private final Map<Map<String, ?>, Map<String, Object>> offsets = new HashMap<>();

  private FileStreamSourceTask task(Path file) {
    FileStreamSourceTask t = new FileStreamSourceTask();
    t.initialize(new SourceTaskContext() {
      @Override
      public Map<String, String> configs() {
        return Map.of();
      }

      @Override
      public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
          @Override
          public <T> Map<String, Object> offset(Map<String, T> partition) {
            return offsets.get(partition);
          }

          @Override
          public <T> Map<Map<String, T>, Map<String, Object>> offsets(
              Collection<Map<String, T>> partitions) {
            throw new UnsupportedOperationException();
          }
        };
      }

      @Override
      public PluginMetrics pluginMetrics() {
        return null;
      }
    });
    t.start(Map.of("file", file.toString(), "topic", "t", "poll.interval.ms", "1",
        "batch.size", "3"));
    return t;
  }

  /** Polls until nothing more comes; remembers the last offset as the runtime would. */
  private List<String> drain(FileStreamSourceTask t) throws Exception {
    List<String> out = new ArrayList<>();
    int empty = 0;
    while (empty < 3) {
      List<SourceRecord> rs = t.poll();
      if (rs == null || rs.isEmpty()) {
        empty++;
        continue;
      }
      empty = 0;
      for (SourceRecord r : rs) {
        out.add((String) r.value());
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) r.sourceOffset();
        offsets.put(r.sourcePartition(), o);
      }
    }
    return out;
  }

  private static void write(Path f, String s) throws Exception {
    Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void aLineIsSentOnlyOnceItIsComplete() throws Exception {
    Path f = dir.resolve("a.log");
    write(f, "one\r\ntwo\nthr");
    FileStreamSourceTask t = task(f);
    assertThat(drain(t)).containsExactly("one", "two");
    write(f, "ee\n\nfour\n");
    assertThat(drain(t)).containsExactly("three", "", "four");
    t.stop();
  }

  @Test
  void aRestartResumesAtTheStoredByteOffset() throws Exception {
    Path f = dir.resolve("b.log");
    write(f, "a\nb\nc\nd\n");
    FileStreamSourceTask t = task(f);
    assertThat(drain(t)).containsExactly("a", "b", "c", "d");
    t.stop();
    write(f, "é\nf\n");
    FileStreamSourceTask again = task(f);
    assertThat(drain(again)).containsExactly("é", "f");
    again.stop();
  }

  @Test
  void aTruncatedFileIsReadFromTheStart() throws Exception {
    Path f = dir.resolve("c.log");
    write(f, "old-1\nold-2\nold-3\n");
    FileStreamSourceTask t = task(f);
    assertThat(drain(t)).hasSize(3);
    Files.writeString(f, "new\n", StandardOpenOption.TRUNCATE_EXISTING);
    assertThat(drain(t)).containsExactly("new");
    t.stop();
  }

  @Test
  void aRotatedFileIsFinishedThenTheNewOneRead() throws Exception {
    Path f = dir.resolve("d.log");
    write(f, "1\n2\n");
    FileStreamSourceTask t = task(f);
    assertThat(drain(t)).containsExactly("1", "2");
    write(f, "3\n");
    Files.move(f, dir.resolve("d.log.1"), StandardCopyOption.ATOMIC_MOVE);
    write(f, "new-1\nnew-2\n");
    assertThat(drain(t)).containsExactly("3", "new-1", "new-2");
    t.stop();
    FileStreamSourceTask again = task(f);
    write(f, "new-3\n");
    assertThat(drain(again)).containsExactly("new-3");
    again.stop();
  }

  @Test
  void aMissingFileIsWaitedFor() throws Exception {
    Path f = dir.resolve("later.log");
    FileStreamSourceTask t = task(f);
    assertThat(drain(t)).isEmpty();
    write(f, "hello\n");
    assertThat(drain(t)).containsExactly("hello");
    t.stop();
  }
}
