package io.millrace.streams.it;

import static io.millrace.streams.it.StreamsItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.ThreadMetadata;
import io.millrace.streams.internals.state.StateDirectories;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two instances, one in another JVM; that one is killed (SIGKILL) while input flows. The
 * survivor takes its tasks, restores their state from the changelogs and goes on; at least
 * once, so no count may end below the truth.
 */
class WordCountFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aKilledInstancesTasksMoveAndNoCountEndsBelowTheTruth() throws Exception {
    String in = "failover-input";
    String out = "failover-output";
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    Random random = new Random(seed);
    Path dirA = StreamsItSupport.tempDir("failover-a");
    Path dirB = StreamsItSupport.tempDir("failover-b");
    Process child = null;
    try (EmbeddedBroker broker = StreamsItSupport.broker()) {
      StreamsItSupport.createTopics(broker, 3, in, out);
      AtomicReference<String> childState = new AtomicReference<>("");
      child = startChild(broker, dirB, in, out, childState);
      MillraceStreams a = new MillraceStreams(topology(in, out),
          StreamsItSupport.streamsProps(broker, "failover", dirA));
      try {
        a.start();
        await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && "RUNNING".equals(childState.get())
                && active(a) > 0 && active(a) < 6,
            () -> "a " + a.state() + " with " + active(a) + " tasks, child " + childState.get());
        List<String> all = new ArrayList<>();
        String[] words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"};
        for (int batch = 0; batch < 20; batch++) {
          List<String> lines = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            lines.add(words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)]);
          }
          StreamsItSupport.produceLines(broker, in, lines);
          all.addAll(lines);
          if (batch == 8) {
            child.destroyForcibly().waitFor();
          }
        }
        Map<String, Long> truth = WordCountIT.expected(all);
        await(WAIT, () -> a.state() == MillraceStreams.State.RUNNING && active(a) == 6,
            () -> "survivor " + a.state() + " has " + active(a) + " tasks");
        try (StreamsItSupport.LatestCounts counts = new StreamsItSupport.LatestCounts(broker, out)) {
          await(WAIT, () -> {
            Map<String, Long> now = counts.poll();
            return truth.keySet().stream().allMatch(w -> now.getOrDefault(w, 0L) >= truth.get(w));
          }, () -> "counts " + counts.poll() + " truth " + truth);
          Map<String, Long> last = counts.poll();
          for (Map.Entry<String, Long> e : truth.entrySet()) {
            assertThat(last.get(e.getKey())).as("count of " + e.getKey()).isGreaterThanOrEqualTo(e.getValue());
          }
        }
      } finally {
        a.close(Duration.ofSeconds(30));
      }
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
      StateDirectories.deleteRecursively(dirA.toFile());
      StateDirectories.deleteRecursively(dirB.toFile());
    }
  }

  private static io.millrace.streams.Topology topology(String in, String out) {
    io.millrace.streams.StreamsBuilder b = new io.millrace.streams.StreamsBuilder();
    b.stream(in, io.millrace.streams.kstream.Consumed.with(
            org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.String()))
        .flatMapValues(value -> java.util.Arrays.asList(value.toLowerCase(java.util.Locale.getDefault()).split("\\W+")))
        .groupBy((key, value) -> value, io.millrace.streams.kstream.Grouped.with(
            org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.String()))
        .count(io.millrace.streams.kstream.Materialized.as("counts-store"))
        .toStream()
        .to(out, io.millrace.streams.kstream.Produced.with(
            org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.Long()));
    return b.build();
  }

  private static int active(MillraceStreams s) {
    int n = 0;
    for (ThreadMetadata t : s.metadataForLocalThreads()) {
      n += t.activeTasks().size();
    }
    return n;
  }

  private static Process startChild(EmbeddedBroker broker, Path stateDir, String in, String out,
      AtomicReference<String> state) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        WordCountProcess.class.getName(), broker.bootstrapServers(), "failover", stateDir.toString(), in, out);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("STATE ")) {
            state.set(line.substring(6).trim());
          }
        }
      } catch (java.io.IOException ignored) {
        // the process died
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    return p;
  }
}
