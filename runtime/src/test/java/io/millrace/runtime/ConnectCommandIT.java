package io.millrace.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.connect.ConnectWorker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millrace connect} and {@code millrace connect deploy} through the real launcher. */
class ConnectCommandIT {
  @TempDir Path dir;
  private ConnectWorker worker;
  private String url;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedErr;

  @BeforeEach
  void start() {
    worker = ConnectWorker.start(Map.of("mode", "standalone", "bootstrap.servers", "127.0.0.1:1",
        "rest.host.name", "127.0.0.1", "rest.port", "0",
        "standalone.storage.dir", dir.resolve("state").toString(),
        "task.shutdown.graceful.timeout.ms", "2000"));
    url = "http://127.0.0.1:" + worker.restPort();
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setErr(savedErr);
    worker.close();
  }

  private int run(String... args) {
    return Millrace.commandLine().execute(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void deployCreatesThenUpdates() throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\"name\":\"tail\",\"config\":{\"connector.class\":"
        + "\"FileStreamSource\",\"file\":\"" + dir.resolve("in.txt") + "\",\"topic\":\"t\"}}");
    assertThat(run("connect", "deploy", file.toString(), "--url", url)).isZero();
    assertThat(stderr()).contains("tail created");
    assertThat(run("connect", "deploy", file.toString(), "--url", url)).isZero();
    assertThat(stderr()).contains("tail updated");
    assertThat(worker.herder().operations().connectors()).containsExactly("tail");
  }

  @Test
  void deployRefusesBadFilesAndInvalidConfigs() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"name\": \"x\", ");
    assertThat(run("connect", "deploy", broken.toString(), "--url", url)).isEqualTo(1);
    assertThat(stderr()).contains("cannot read");
    Path shape = dir.resolve("shape.json");
    Files.writeString(shape, "{\"connector.class\": \"FileStreamSource\"}");
    assertThat(run("connect", "deploy", shape.toString(), "--url", url)).isEqualTo(1);
    assertThat(stderr()).contains("must hold");
    Path invalid = dir.resolve("invalid.json");
    Files.writeString(invalid, "{\"name\":\"x\",\"config\":{\"connector.class\":"
        + "\"FileStreamSource\",\"topic\":\"t\"}}");
    assertThat(run("connect", "deploy", invalid.toString(), "--url", url)).isEqualTo(1);
    assertThat(stderr()).contains("HTTP 400").contains("file");
    assertThat(run("connect", "deploy", dir.resolve("missing.json").toString(), "--url", url))
        .isEqualTo(1);
    assertThat(worker.herder().operations().connectors()).isEmpty();
  }

  @Test
  void workerRefusesABadValueNamingTheKey() {
    assertThat(run("connect", "--override", "rest.port=eighty")).isEqualTo(1);
    assertThat(stderr()).contains("rest.port");
    assertThat(run("connect", "--override", "mode=sideways")).isEqualTo(1);
    assertThat(stderr()).contains("mode");
    assertThat(run("connect", "--override", "bootstrap.servers=127.0.0.1:1", "--override",
        "rest.port=0", "--override", "worker.request.timeout.ms=1500")).isEqualTo(1);
    assertThat(stderr()).contains("No broker answered at 127.0.0.1:1");
    assertThat(run("connect", "--override", "novalue")).isEqualTo(2);
    assertThat(run("connect", "--config", dir.resolve("nope.properties").toString()))
        .isEqualTo(2);
  }
}
