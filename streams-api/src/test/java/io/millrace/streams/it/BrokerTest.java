package io.millrace.streams.it;

import io.millrace.engine.EmbeddedBroker;
import io.millrace.streams.MillraceStreams;
import io.millrace.streams.Topology;
import io.millrace.streams.internals.state.StateDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the ITs against one embedded broker share: the broker (one per test class, tuned by
 * {@link StreamsItSupport#broker()}), and the instances and state directories a test makes,
 * closed and deleted after each test.
 */
abstract class BrokerTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static EmbeddedBroker broker;
  private final List<MillraceStreams> instances = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    broker = StreamsItSupport.broker();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @AfterEach
  void closeInstances() {
    instances.forEach(i -> i.close(Duration.ofSeconds(30)));
    dirs.forEach(d -> StateDirectories.deleteRecursively(d.toFile()));
  }

  /** A fresh state directory, deleted after the test. */
  Path dir(String prefix) throws IOException {
    Path d = StreamsItSupport.tempDir(prefix);
    dirs.add(d);
    return d;
  }

  /** Closes {@code s} after the test. */
  MillraceStreams track(MillraceStreams s) {
    instances.add(s);
    return s;
  }

  /** Starts an instance, closed after the test. */
  MillraceStreams start(Topology topology, Properties props) {
    MillraceStreams s = track(new MillraceStreams(topology, props));
    s.start();
    return s;
  }
}
