package io.millrace.connect.http;

import io.millrace.connect.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends each {@code put}'s records synchronously, in batches; see {@link HttpSinkConnector}. */
public final class HttpSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSinkTask.class);

  private AbstractConfig config;
  private HttpClient http;
  private final JsonConverter json = new JsonConverter();
  private volatile boolean stopping;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new AbstractConfig(HttpSinkConnector.CONFIG, props);
    http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofMillis(config.getInt(HttpSettings.TIMEOUT_MS))).build();
    json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false",
        JsonConverterConfig.DECIMAL_FORMAT_CONFIG, "NUMERIC"), false);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    int max = config.getInt(HttpSinkConnector.BATCH_MAX_SIZE);
    List<SinkRecord> batch = new ArrayList<>(max);
    for (SinkRecord r : records) {
      batch.add(r);
      if (batch.size() == max) {
        send(batch);
        batch = new ArrayList<>(max);
      }
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  private void send(List<SinkRecord> batch) {
    byte[] body = body(batch);
    int retries = config.getInt(HttpSinkConnector.MAX_RETRIES);
    long backoff = config.getLong(HttpSinkConnector.RETRY_BACKOFF_MS);
    long maxBackoff = config.getLong(HttpSinkConnector.RETRY_BACKOFF_MAX_MS);
    String failure;
    int attempt = 0;
    while (true) {
      attempt++;
      boolean passing;
      try {
        HttpResponse<String> r = http.send(request(body), HttpResponse.BodyHandlers.ofString());
        int code = r.statusCode();
        if (code / 100 == 2) {
          return;
        }
        passing = code >= 500 || code == 408 || code == 429;
        failure = "HTTP " + code + " " + abbreviate(r.body());
      } catch (IOException e) {
        passing = true;
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("interrupted while sending", e);
      }
      if (!passing || attempt > retries || stopping) {
        break;
      }
      LOG.warn("Request {} of a batch of {} failed ({}); retrying in {} ms", attempt,
          batch.size(), failure, backoff);
      sleep(backoff);
      backoff = Math.min(maxBackoff, Math.max(1, backoff * 2));
    }
    reportFailed(batch, new ConnectException("Batch failed for good after " + attempt
        + " attempt(s): " + failure));
  }

  private void reportFailed(List<SinkRecord> batch, ConnectException error) {
    ErrantRecordReporter reporter = context.errantRecordReporter();
    if (reporter == null) {
      throw error;
    }
    List<java.util.concurrent.Future<Void>> sent = new ArrayList<>();
    for (SinkRecord r : batch) {
      sent.add(reporter.report(r, error));
    }
    for (java.util.concurrent.Future<Void> f : sent) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw error;
      } catch (ExecutionException e) {
        throw new ConnectException("Cannot report to the dead-letter queue", e.getCause());
      }
    }
  }

  private HttpRequest request(byte[] body) {
    return HttpSettings.apply(config, HttpRequest.newBuilder(
            URI.create(config.getString(HttpSettings.URL))))
        .header("Content-Type", "application/json")
        .method(config.getString(HttpSinkConnector.METHOD),
            HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private byte[] body(List<SinkRecord> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    for (int i = 0; i < batch.size(); i++) {
      SinkRecord r = batch.get(i);
      if (i > 0) {
        out.write(',');
      }
      byte[] v = json.fromConnectData(r.topic(), r.valueSchema(), r.value());
      out.writeBytes(v == null ? "null".getBytes() : v);
    }
    out.write(']');
    return out.toByteArray();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms); // retry backoff, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    stopping = true;
  }
}
