package io.millrace.runtime.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.runtime.tools.ToolRunner;
import io.millrace.streams.StreamsBuilder;
import io.millrace.streams.Topology;
import org.junit.jupiter.api.Test;

/** {@code millrace streams list|describe|run} without a broker: names, formats and errors. */
class StreamsCommandTest {

  /** A user class with a static topology method, as {@code streams run} accepts. */
  public static final class Passthrough {
    public static Topology topology() {
      StreamsBuilder b = new StreamsBuilder();
      b.stream("in").to("out");
      return b.build();
    }
  }

  @Test
  void listsTheSamples() {
    ToolRunner.Result r = ToolRunner.run("streams", "list");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("WordCount\tstreams-wordcount\tio.millrace.samples.WordCount",
        "ClicksPerUserPerMinute", "OrderEnrichment");
  }

  @Test
  void describesASampleAsTextMermaidAndDot() {
    ToolRunner.Result text = ToolRunner.run("streams", "describe", "WordCount");
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out()).startsWith("Topologies:\n").contains("Sink: counts-store-repartition-sink");
    assertThat(ToolRunner.run("streams", "describe", "OrderEnrichment", "--format", "mermaid").out())
        .startsWith("flowchart TD").contains("orders-by-customer-repartition");
    assertThat(ToolRunner.run("streams", "describe", "ClicksPerUserPerMinute", "--format", "dot").out())
        .startsWith("digraph topology {").contains("clicks-per-minute-store");
  }

  @Test
  void describesAClassByItsName() {
    ToolRunner.Result r = ToolRunner.run("streams", "describe", Passthrough.class.getName());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Source: KSTREAM-SOURCE-0000000000 (topics: [in])");
  }

  @Test
  void unknownNamesAndUnusableClassesAreReported() {
    ToolRunner.Result r = ToolRunner.run("streams", "run", "Nope", "--bootstrap-server", "127.0.0.1:1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("Error: no sample or class named 'Nope' (samples: WordCount,");
    ToolRunner.Result notTopology = ToolRunner.run("streams", "describe", String.class.getName());
    assertThat(notTopology.exitCode()).isEqualTo(1);
    assertThat(notTopology.err()).contains("is not a StreamsApplication");
    ToolRunner.Result badPath = ToolRunner.run("streams", "describe", "X", "--class-path", "/no/such/dir");
    assertThat(badPath.err()).contains("--class-path entry /no/such/dir does not exist");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(ToolRunner.run("streams", "run", "WordCount").exitCode()).isEqualTo(2);
    ToolRunner.Result badConfig = ToolRunner.run("streams", "run", "WordCount", "--bootstrap-server", "h:1",
        "--config", "nonsense");
    assertThat(badConfig.exitCode()).isEqualTo(2);
    assertThat(badConfig.err()).contains("--config expects KEY=VALUE");
    ToolRunner.Result noId = ToolRunner.run("streams", "run", Passthrough.class.getName(), "--bootstrap-server", "h:1");
    assertThat(noId.exitCode()).isEqualTo(2);
    assertThat(noId.err()).contains("sets no application.id");
  }

  @Test
  void invalidSettingsNameTheirKey() {
    ToolRunner.Result r = ToolRunner.run("streams", "run", "WordCount", "--bootstrap-server", "h:1",
        "--config", "num.stream.threads=0", "--state-dir", System.getProperty("java.io.tmpdir") + "/st-cmd-test");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("invalid configuration").contains("num.stream.threads");
  }
}
