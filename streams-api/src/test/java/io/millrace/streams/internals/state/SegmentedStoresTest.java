package io.millrace.streams.internals.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.KeyValue;
import io.millrace.streams.kstream.Window;
import io.millrace.streams.kstream.Windowed;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.KeyValueIterator;
import io.millrace.streams.state.StateRestoreCallback;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import io.millrace.streams.state.WindowStoreIterator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Window and session bytes stores, in memory and on disk: ranges, duplicates, retention. */
class SegmentedStoresTest {
  @TempDir Path dir;

  private StateStoreContext context() {
    return new StateStoreContext() {
      @Override
      public TaskId taskId() {
        return new TaskId(0, 0);
      }

      @Override
      public String applicationId() {
        return "app";
      }

      @Override
      public File stateDir() {
        return dir.toFile();
      }

      @Override
      public Map<String, Object> appConfigs() {
        return Map.of();
      }

      @Override
      public void register(StateStore store, StateRestoreCallback callback) {}
    };
  }

  private static Bytes k(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void windowFetchesByKeyAndTimeAndExpiresOldSegments(boolean persistent) {
    // retention 2 minutes: segment interval 1 minute
    SegmentedWindowBytesStore s = new SegmentedWindowBytesStore("w", 120_000, 10_000, false, persistent);
    s.init(context(), s);
    s.put(k("a"), v("a0"), 0);
    s.put(k("a"), v("a1"), 10_000);
    s.put(k("ab"), v("ab0"), 0);
    s.put(k("b"), v("b1"), 10_000);
    assertThat(s.fetch(k("a"), 10_000)).isEqualTo(v("a1"));
    List<Long> times = new ArrayList<>();
    try (WindowStoreIterator<byte[]> it = s.fetch(k("a"), 0, 100_000)) {
      it.forEachRemaining(kv -> times.add(kv.key()));
    }
    assertThat(times).containsExactly(0L, 10_000L);
    List<String> all = new ArrayList<>();
    try (KeyValueIterator<Windowed<Bytes>, byte[]> it = s.fetchAll(0, 5_000)) {
      it.forEachRemaining(kv -> all.add(new String(kv.key().key().get()) + "@" + kv.key().window().start()));
    }
    assertThat(all).containsExactlyInAnyOrder("a@0", "ab@0");
    s.put(k("a"), v("late"), 200_000);
    assertThat(s.fetch(k("a"), 0)).isNull();
    assertThat(s.fetch(k("a"), 200_000)).isEqualTo(v("late"));
    s.put(k("a"), v("too-late"), 1_000);
    assertThat(s.fetch(k("a"), 1_000)).isNull();
    s.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void duplicatesAreKeptWhenAsked(boolean persistent) {
    SegmentedWindowBytesStore s = new SegmentedWindowBytesStore("j", 60_000, 1_000, true, persistent);
    s.init(context(), s);
    s.put(k("a"), v("1"), 5);
    s.put(k("a"), v("2"), 5);
    s.put(k("a"), null, 5);
    List<String> values = new ArrayList<>();
    try (WindowStoreIterator<byte[]> it = s.fetch(k("a"), 0, 10)) {
      it.forEachRemaining(kv -> values.add(new String(kv.value())));
    }
    assertThat(values).containsExactly("1", "2");
    s.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void persistentWindowSegmentsSurviveReopening(boolean persistent) {
    SegmentedWindowBytesStore s = new SegmentedWindowBytesStore("w", 120_000, 10_000, false, persistent);
    s.init(context(), s);
    s.put(k("a"), v("x"), 70_000);
    s.flush();
    s.close();
    SegmentedWindowBytesStore again = new SegmentedWindowBytesStore("w", 120_000, 10_000, false, persistent);
    again.init(context(), again);
    assertThat(again.fetch(k("a"), 70_000)).isEqualTo(persistent ? v("x") : null);
    again.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sessionsAreFoundByOverlapAndRemoved(boolean persistent) {
    SegmentedSessionBytesStore s = new SegmentedSessionBytesStore("s", 60_000, persistent);
    s.init(context(), s);
    s.put(new Windowed<>(k("a"), new Window(0, 10)), v("1"));
    s.put(new Windowed<>(k("a"), new Window(20, 30)), v("2"));
    s.put(new Windowed<>(k("b"), new Window(0, 10)), v("3"));
    List<String> found = new ArrayList<>();
    try (KeyValueIterator<Windowed<Bytes>, byte[]> it = s.findSessions(k("a"), 5, 25)) {
      it.forEachRemaining(kv -> found.add(kv.key().window().toString()));
    }
    assertThat(found).containsExactly("Window[0, 10]", "Window[20, 30]");
    assertThat(s.fetchSession(k("a"), 20, 30)).isEqualTo(v("2"));
    s.remove(new Windowed<>(k("a"), new Window(0, 10)));
    List<KeyValue<Windowed<Bytes>, byte[]>> rest = new ArrayList<>();
    try (KeyValueIterator<Windowed<Bytes>, byte[]> it = s.fetch(k("a"))) {
      it.forEachRemaining(rest::add);
    }
    assertThat(rest).hasSize(1);
    s.close();
  }
}
