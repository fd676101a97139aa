package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static io.millrace.streams.it.StreamsItSupport.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.streams.MillraceStreams;
import io.millrace.streams.ThreadMetadata;
import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.QueryableStoreTypes;
import io.millrace.streams.state.ReadOnlyKeyValueStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Word count against the real broker: one instance, two instances, a clean handover. */
class WordCountIT extends BrokerTest {

  private static List<String> lines(int n, int seed) {
    String[] words = {"kafka", "streams", "millrace", "wheel", "water", "log", "table", "join"};
    List<String> out = new ArrayList<>();
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 5; w++) {
        sb.append(words[r.nextInt(words.length)].toUpperCase(Locale.ROOT)).append(w % 2 == 0 ? ", " : " ");
      }
      out.add(sb.toString());
    }
    return out;
  }

  static Map<String, Long> expected(List<String> lines) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines) {
      for (String w : line.toLowerCase(Locale.getDefault()).split("\\W+")) {
        counts.merge(w, 1L, Long::sum);
      }
    }
    return counts;
  }

  private void awaitCounts(String output, Map<String, Long> expected) {
    try (StreamsItSupport.LatestCounts counts = new StreamsItSupport.LatestCounts(broker, output)) {
      await(WAIT, () -> counts.poll().equals(expected), () -> "counts " + counts.poll() + " expected " + expected);
    }
  }

  @Test
  void countsWordsEndToEndAndAnswersQueries() throws Exception {
    String app = "wc-single";
    StreamsItSupport.createTopics(broker, 3, WordCount.INPUT + "-1", WordCount.OUTPUT + "-1");
    // topics of this test are suffixed so tests do not share data
    MillraceStreams s = startWith(app, "-1");
    List<String> input = List.of("all streams lead to kafka", "hello kafka streams", "join kafka summit");
    StreamsItSupport.produceLines(broker, WordCount.INPUT + "-1", input);
    awaitCounts(WordCount.OUTPUT + "-1", expected(input));
    awaitState(s, MillraceStreams.State.RUNNING, WAIT);
    ReadOnlyKeyValueStore<String, Long> store = s.store("counts-store", QueryableStoreTypes.keyValueStore());
    assertThat(store.get("kafka")).isEqualTo(3L);
    assertThat(store.approximateNumEntries()).isEqualTo(expected(input).size());
  }

  /** Word count between the walkthrough's topics with {@code suffix}, so that tests do not share data. */
  private MillraceStreams startWith(String appId, String suffix) throws Exception {
    return start(WordCount.topology(WordCount.INPUT + suffix, WordCount.OUTPUT + suffix),
        StreamsItSupport.streamsProps(broker, appId, dir("wordcount-it")));
  }

  private static Set<TaskId> active(MillraceStreams s) {
    Set<TaskId> ids = new HashSet<>();
    for (ThreadMetadata t : s.metadataForLocalThreads()) {
      ids.addAll(t.activeTasks());
    }
    return ids;
  }

  @Test
  void twoInstancesSplitTheTasksAndCountExactly() throws Exception {
    StreamsItSupport.createTopics(broker, 3, WordCount.INPUT + "-2", WordCount.OUTPUT + "-2");
    MillraceStreams a = startWith("wc-two", "-2");
    MillraceStreams b = startWith("wc-two", "-2");
    await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && b.state() == MillraceStreams.State.RUNNING
            && active(a).size() + active(b).size() == 6 && !active(a).isEmpty() && !active(b).isEmpty(),
        () -> "a " + a.state() + " " + active(a) + ", b " + b.state() + " " + active(b));
    Set<TaskId> union = new HashSet<>(active(a));
    union.addAll(active(b));
    assertThat(union).hasSize(6);
    List<String> input = lines(300, 7);
    StreamsItSupport.produceLines(broker, WordCount.INPUT + "-2", input);
    awaitCounts(WordCount.OUTPUT + "-2", expected(input));
  }

  @Test
  void aCleanHandoverRestoresStateAndKeepsCountsExact() throws Exception {
    StreamsItSupport.createTopics(broker, 3, WordCount.INPUT + "-3", WordCount.OUTPUT + "-3");
    MillraceStreams a = startWith("wc-handover", "-3");
    MillraceStreams b = startWith("wc-handover", "-3");
    await(WAIT, () -> active(a).size() + active(b).size() == 6 && !active(b).isEmpty(),
        () -> "a " + active(a) + ", b " + active(b));
    List<String> first = lines(200, 1);
    StreamsItSupport.produceLines(broker, WordCount.INPUT + "-3", first);
    awaitCounts(WordCount.OUTPUT + "-3", expected(first));
    b.close(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(MillraceStreams.State.NOT_RUNNING);
    await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && active(a).size() == 6,
        () -> "a " + a.state() + " " + active(a));
    List<String> second = lines(200, 2);
    StreamsItSupport.produceLines(broker, WordCount.INPUT + "-3", second);
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    awaitCounts(WordCount.OUTPUT + "-3", expected(all));
  }
}
