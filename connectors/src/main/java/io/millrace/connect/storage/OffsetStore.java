package io.millrace.connect.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

/**
 * Source connector offsets in a {@link KeyValueLog}, in Kafka Connect's layout: the key is the
 * JSON array {@code ["CONNECTOR", {source partition}]}, the value the JSON source offset, both
 * written by the schemaless JsonConverter, so integers read back as {@code Long} exactly as a
 * Kafka Connect task expects.
 *
 * <p>Thread-safe.
 */
public final class OffsetStore implements AutoCloseable {
  private static final String TOPIC = "connect-offsets";
  private final KeyValueLog log;
  private final JsonConverter keys = new JsonConverter();
  private final JsonConverter values = new JsonConverter();
  private final Map<String, Map<Map<String, Object>, Map<String, Object>>> offsets =
      new ConcurrentHashMap<>();

  public OffsetStore(KeyValueLog log) {
    this.log = log;
    keys.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
    values.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
  }

  public CompletableFuture<Void> start() {
    return log.start(this::apply);
  }

  public CompletableFuture<Void> readToEnd() {
    return log.readToEnd();
  }

  /** The latest offset of a source partition, or null. */
  public Map<String, Object> offset(String connector, Map<String, ?> partition) {
    Map<Map<String, Object>, Map<String, Object>> own = offsets.get(connector);
    return own == null ? null : own.get(normalize(partition));
  }

  /** Every partition's offset of a connector. */
  public Map<Map<String, Object>, Map<String, Object>> offsets(String connector) {
    return Map.copyOf(offsets.getOrDefault(connector, Map.of()));
  }

  /** Writes offsets (a null offset deletes its partition); completes when all are durable. */
  public CompletableFuture<Void> put(String connector,
      Map<? extends Map<String, ?>, ? extends Map<String, ?>> batch) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    batch.forEach((partition, offset) -> {
      byte[] k = keys.fromConnectData(TOPIC, null, List.of(connector, partition));
      byte[] v = offset == null ? null : values.fromConnectData(TOPIC, null, offset);
      sent.add(log.send(k, v));
    });
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  @SuppressWarnings("unchecked")
  private void apply(byte[] key, byte[] value) {
    Object k = keys.toConnectData(TOPIC, key).value();
    if (!(k instanceof List<?> list) || list.size() != 2 || !(list.get(0) instanceof String)
        || !(list.get(1) instanceof Map)) {
      throw new IllegalArgumentException("offset key is not [connector, {partition}]: "
          + new String(key, StandardCharsets.UTF_8));
    }
    String connector = (String) list.get(0);
    Map<String, Object> partition = (Map<String, Object>) list.get(1);
    Map<Map<String, Object>, Map<String, Object>> own =
        offsets.computeIfAbsent(connector, c -> new ConcurrentHashMap<>());
    if (value == null) {
      own.remove(partition);
    } else {
      Object v = values.toConnectData(TOPIC, value).value();
      own.put(partition, v == null ? null : new LinkedHashMap<>((Map<String, Object>) v));
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> normalize(Map<String, ?> partition) {
    byte[] bytes = values.fromConnectData(TOPIC, null, partition);
    return new HashMap<>((Map<String, Object>) values.toConnectData(TOPIC, bytes).value());
  }

  @Override
  public void close() {
    log.close();
  }
}
