package io.millrace.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace connect deploy FILE.json [--url URL]}: creates the connector the file
 * describes ({@code {"name": ..., "config": {...}}}, as {@code POST /connectors} takes it), or
 * updates its config when it exists. Prints the worker's answer; exit code 1 when the file is
 * unreadable or the worker refuses the config (its message names the field).
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Deploy a connector config (JSON) through a worker's REST API.")
public final class ConnectDeployCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "FILE.json",
      description = "{\"name\": ..., \"config\": {...}}, as POST /connectors takes it.")
  Path file;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://localhost:8083",
      description = "The worker's REST API (default: ${DEFAULT-VALUE}).")
  String url;

  @Override
  public Integer call() {
    JsonNode body;
    try {
      body = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      System.err.println("millrace connect deploy: cannot read " + file + ": " + e.getMessage());
      return 1;
    }
    if (body == null || !body.path("name").isTextual() || !body.path("config").isObject()) {
      System.err.println("millrace connect deploy: " + file
          + " must hold {\"name\": \"...\", \"config\": {...}}");
      return 1;
    }
    String name = body.path("name").asText();
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> r = send(http, "POST", base + "/connectors", body.toString());
      if (r.statusCode() == 409) {
        ObjectNode config = (ObjectNode) body.path("config").deepCopy();
        r = send(http, "PUT", base + "/connectors/"
            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/config",
            config.toString());
      }
      if (r.statusCode() / 100 == 2) {
        System.out.println(r.body());
        System.err.println("millrace connect deploy: " + name + (r.statusCode() == 201
            ? " created" : " updated"));
        return 0;
      }
      String message = r.body();
      try {
        message = JSON.readTree(r.body()).path("message").asText(r.body());
      } catch (IOException notJson) {
        // print the body as it is
      }
      System.err.println("millrace connect deploy: HTTP " + r.statusCode() + ": " + message);
      return 1;
    } catch (IOException e) {
      System.err.println("millrace connect deploy: cannot reach " + base + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static HttpResponse<String> send(HttpClient http, String method, String target,
      String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(target))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
