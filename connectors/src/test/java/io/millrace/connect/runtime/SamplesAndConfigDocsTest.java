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

/** The repository's connector samples are valid, and connect.properties documents every key. */
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
  void connectPropertiesDocumentsEveryWorkerKey() throws Exception {
    String doc = Files.readString(ROOT.resolve("config/connect.properties"));
    for (String key : WorkerConfig.configDef().names()) {
      assertThat(doc).as(key).containsPattern("(?m)^#?" + key.replace(".", "\\.") + "=");
    }
  }
}
