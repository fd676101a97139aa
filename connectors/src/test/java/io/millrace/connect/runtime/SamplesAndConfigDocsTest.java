package io.millrace.connect.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.connect.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The connector samples are valid; connect.properties and the README document every key. */
class SamplesAndConfigDocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everySampleConfigValidatesWithoutErrors() throws Exception {
    Plugins plugins = new Plugins();
    List<Path> samples;
    try (Stream<Path> s = Files.list(ROOT.resolve("samples/connectors"))) {
      samples = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(7);
    for (Path sample : samples) {
      JsonNode body = new ObjectMapper().readTree(sample.toFile());
      Map<String, String> config = new LinkedHashMap<>();
      body.path("config").fields().forEachRemaining(e -> config.put(e.getKey(),
          e.getValue().asText()));
      config.put("name", body.path("name").asText());
      ConfigValidation.Result r = ConfigValidation.validate(plugins, config);
      assertThat(r.errors()).as(sample.toString()).isEmpty();
    }
  }

  @Test
  void theReadmeDocumentsEveryConnectorKey() throws Exception {
    String readme = Files.readString(ROOT.resolve("connectors/README.md"));
    Plugins plugins = new Plugins();
    List<org.apache.kafka.common.config.ConfigDef> defs = new java.util.ArrayList<>();
    defs.add(ConnectorConfig.baseDef(true));
    for (Plugins.Plugin p : plugins.list(List.of(Plugins.Kind.SOURCE, Plugins.Kind.SINK))) {
      defs.add(plugins.newConnector(p.className()).config());
    }
    for (org.apache.kafka.common.config.ConfigDef def : defs) {
      for (org.apache.kafka.common.config.ConfigDef.ConfigKey k : def.configKeys().values()) {
        if (!k.internalConfig) {
          assertThat(readme).as(k.name).contains("| `" + k.name + "` |");
        }
      }
    }
  }

  @Test
  void connectPropertiesDocumentsEveryWorkerKey() throws Exception {
    String doc = Files.readString(ROOT.resolve("config/connect.properties"));
    for (String key : WorkerConfig.configDef().names()) {
      assertThat(doc).as(key).containsPattern("(?m)^#?" + key.replace(".", "\\.") + "=");
    }
  }
}
