package io.millrace.connect.http;

import io.millrace.connect.builtin.BuiltInSourceConnector;
import io.millrace.connect.builtin.TaskSplit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Polls a URL on an interval and turns the JSON response into records: the elements of the
 * array at {@code http.response.records.pointer} (a JSON pointer; the whole response when
 * empty). It keeps its place with an offset taken from each record ({@code
 * http.offset.mode=field}) or from a cursor in the response ({@code cursor}); the URL's
 * {@code ${offset}} is replaced by it. Values are schemaless JSON (maps, lists, scalars); the
 * key is taken from {@code http.record.key.pointer} when set. One task.
 */
public final class HttpSourceConnector extends BuiltInSourceConnector {
  static final String TOPIC = "topic";
  static final String POLL_INTERVAL_MS = "poll.interval.ms";
  static final String RECORDS_POINTER = "http.response.records.pointer";
  static final String KEY_POINTER = "http.record.key.pointer";
  static final String OFFSET_MODE = "http.offset.mode";
  static final String OFFSET_POINTER = "http.offset.pointer";
  static final String OFFSET_INITIAL = "http.offset.initial";

  static final ConfigDef CONFIG = HttpSettings.define(new ConfigDef())
      .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic the records go to.")
      .define(POLL_INTERVAL_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.HIGH,
          "Wait between requests when the last one brought no new records.")
      .define(RECORDS_POINTER, Type.STRING, "", Importance.HIGH,
          "JSON pointer to the array of records in the response, e.g. /items.")
      .define(KEY_POINTER, Type.STRING, "", Importance.MEDIUM,
          "JSON pointer, within a record, to its key, e.g. /id; none when empty.")
      .define(OFFSET_MODE, Type.STRING, "none", ValidString.in("none", "field", "cursor"),
          Importance.HIGH, "none: request the same URL every time. field: the offset is a "
              + "field of the last record (http.offset.pointer within the record). cursor: the "
              + "offset is a field of the response (http.offset.pointer within the response).")
      .define(OFFSET_POINTER, Type.STRING, "", Importance.HIGH,
          "JSON pointer to the offset (see http.offset.mode).")
      .define(OFFSET_INITIAL, Type.STRING, "", Importance.MEDIUM,
          "The offset of the first request.");

  public HttpSourceConnector() {
    super(CONFIG, HttpSourceTask.class, TaskSplit.SINGLE);
  }

  @Override
  public org.apache.kafka.common.config.Config validate(Map<String, String> cfg) {
    org.apache.kafka.common.config.Config c = super.validate(cfg);
    String mode = cfg.getOrDefault(OFFSET_MODE, "none");
    if (!mode.equals("none") && cfg.getOrDefault(OFFSET_POINTER, "").isBlank()) {
      c.configValues().stream().filter(v -> v.name().equals(OFFSET_POINTER)).findFirst()
          .ifPresent(v -> v.addErrorMessage("http.offset.mode=" + mode
              + " needs http.offset.pointer"));
    }
    for (String key : List.of(RECORDS_POINTER, KEY_POINTER, OFFSET_POINTER)) {
      String p = cfg.getOrDefault(key, "");
      if (!p.isEmpty() && !p.startsWith("/")) {
        c.configValues().stream().filter(v -> v.name().equals(key)).findFirst()
            .ifPresent(v -> v.addErrorMessage("A JSON pointer starts with '/'"));
      }
    }
    return c;
  }
}
