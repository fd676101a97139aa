package io.millrace.connect.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.connect.Version;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * One request per poll (the JDK's HTTP client, blocking on the task's worker thread). A
 * failed request (I/O, timeout, non-2xx) is retried on the next poll; an unreadable body too.
 * Partition {@code {"url": URL}}, offset {@code {"offset": VALUE}}.
 */
public final class HttpSourceTask extends SourceTask {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AbstractConfig config;
  private HttpClient http;
  private String url;
  private String topic;
  private String mode;
  private JsonPointer records;
  private JsonPointer key;
  private JsonPointer offsetPointer;
  private String offset;
  private Map<String, String> partition;
  private long pollIntervalMs;
  private long nextRequestMs;
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new AbstractConfig(HttpSourceConnector.CONFIG, props);
    url = config.getString(HttpSettings.URL);
    topic = config.getString(HttpSourceConnector.TOPIC);
    mode = config.getString(HttpSourceConnector.OFFSET_MODE);
    records = JsonPointer.compile(config.getString(HttpSourceConnector.RECORDS_POINTER));
    key = JsonPointer.compile(config.getString(HttpSourceConnector.KEY_POINTER));
    offsetPointer = JsonPointer.compile(config.getString(HttpSourceConnector.OFFSET_POINTER));
    pollIntervalMs = config.getLong(HttpSourceConnector.POLL_INTERVAL_MS);
    partition = Map.of("url", url);
    offset = config.getString(HttpSourceConnector.OFFSET_INITIAL);
    Map<String, Object> stored = context.offsetStorageReader().offset(partition);
    if (stored != null && stored.get("offset") != null) {
      offset = stored.get("offset").toString();
    }
    http = HttpClient.newBuilder().connectTimeout(
        Duration.ofMillis(config.getInt(HttpSettings.TIMEOUT_MS))).build();
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    long wait = nextRequestMs - System.currentTimeMillis();
    if (wait > 0 && stopped.await(wait, TimeUnit.MILLISECONDS)) {
      return null;
    }
    if (stopped.getCount() == 0) {
      return null;
    }
    JsonNode body = fetch();
    List<SourceRecord> out = new ArrayList<>();
    JsonNode items = records.matches() ? body : body.at(records);
    List<JsonNode> list = new ArrayList<>();
    if (items.isArray()) {
      items.forEach(list::add);
    } else if (!items.isMissingNode() && !items.isNull()) {
      list.add(items);
    }
    String before = offset;
    for (JsonNode item : list) {
      if (mode.equals("field")) {
        JsonNode o = item.at(offsetPointer);
        if (!o.isMissingNode() && !o.isNull()) {
          offset = o.asText();
        }
      }
      Object k = key.matches() ? null : toJava(item.at(key));
      out.add(new SourceRecord(partition, Map.of("offset", offset), topic, null, null, k, null,
          toJava(item)));
    }
    if (mode.equals("cursor")) {
      JsonNode next = body.at(offsetPointer);
      if (!next.isMissingNode() && !next.isNull() && !next.asText().isEmpty()) {
        offset = next.asText();
        if (!out.isEmpty()) {
          SourceRecord last = out.remove(out.size() - 1);
          out.add(new SourceRecord(partition, Map.of("offset", offset), topic, null, null,
              last.key(), null, last.value()));
        }
      }
    }
    boolean moved = !offset.equals(before);
    nextRequestMs = out.isEmpty() || (mode.equals("none")) || !moved
        ? System.currentTimeMillis() + pollIntervalMs : 0;
    return out;
  }

  private JsonNode fetch() {
    String target = url.replace("${offset}", URLEncoder.encode(offset, StandardCharsets.UTF_8));
    HttpRequest req = HttpSettings.apply(config, HttpRequest.newBuilder(URI.create(target)))
        .header("Accept", "application/json").GET().build();
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() / 100 != 2) {
        nextRequestMs = System.currentTimeMillis() + pollIntervalMs;
        throw new RetriableException("GET " + target + " answered " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      nextRequestMs = System.currentTimeMillis() + pollIntervalMs;
      throw new RetriableException("GET " + target + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted", e);
    }
  }

  private static Object toJava(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return JSON.convertValue(n, Object.class);
  }

  @Override
  public void stop() {
    stopped.countDown();
  }
}
