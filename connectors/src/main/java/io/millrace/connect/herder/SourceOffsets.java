package io.millrace.connect.herder;

import io.millrace.connect.storage.OffsetStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Reads and changes a source connector's offsets in the offset log, shown as {@code
 * {"partition": {...}, "offset": {...}}} pairs like Kafka Connect does. The twin of {@link
 * SinkOffsets}. Thread-safe and blocking (up to the request timeout per step).
 */
final class SourceOffsets {
  private final OffsetStore offsets;
  private final RequestTimeout timeout;

  SourceOffsets(OffsetStore offsets, RequestTimeout timeout) {
    this.offsets = offsets;
    this.timeout = timeout;
  }

  List<Map<String, Object>> read(String connector) {
    timeout.await(offsets.readToEnd());
    List<Map<String, Object>> out = new ArrayList<>();
    offsets.offsets(connector).forEach((p, o) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("partition", p);
      entry.put("offset", o);
      out.add(entry);
    });
    return out;
  }

  /**
   * Writes {@code entries} (an offset null removes its partition's) once {@code plugin}, an
   * instance of the connector's class, accepts them; {@code entries} null removes every offset
   * of the connector.
   */
  void alter(String connector, SourceConnector plugin, Map<String, String> config,
      List<Map<String, Object>> entries) {
    Map<Map<String, Object>, Map<String, Object>> batch = new LinkedHashMap<>();
    if (entries == null) {
      timeout.await(offsets.readToEnd());
      offsets.offsets(connector).keySet().forEach(p -> batch.put(p, null));
    } else {
      entries.forEach(e -> add(batch, e));
      try {
        plugin.alterOffsets(config, new HashMap<>(batch));
      } catch (RuntimeException ex) {
        throw new BadRequestException("The connector refused the offsets: " + ex.getMessage());
      }
    }
    timeout.await(offsets.put(connector, batch));
    timeout.await(offsets.readToEnd());
  }

  @SuppressWarnings("unchecked")
  private static void add(Map<Map<String, Object>, Map<String, Object>> batch,
      Map<String, Object> entry) {
    Object p = entry.get("partition");
    Object o = entry.get("offset");
    if (!(p instanceof Map) || (o != null && !(o instanceof Map))) {
      throw new BadRequestException("Each offset needs a 'partition' object and an "
          + "'offset' object (or null to remove it)");
    }
    batch.put((Map<String, Object>) p, (Map<String, Object>) o);
  }
}
