package io.millrace.engine.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The APIs a broker serves: one handler per API key, registered in one place at start-up and
 * immutable afterwards (thread-safe). ApiVersions is always served, by a handler the table adds
 * itself, and answers with exactly the registered handlers' declared ranges.
 */
public final class ApiTable {

  private final Map<ApiKeys, ApiHandler<?>> handlers;

  private ApiTable(Map<ApiKeys, ApiHandler<?>> handlers) {
    this.handlers = Collections.unmodifiableMap(handlers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The handler for this API, or {@code null} if the broker does not serve it. */
  public ApiHandler<?> handler(ApiKeys apiKey) {
    return handlers.get(apiKey);
  }

  /** Every served API with its advertised range, as a fresh collection (elements are not shared). */
  public ApiVersionCollection apiVersions() {
    ApiVersionCollection versions = new ApiVersionCollection(handlers.size());
    handlers.values().stream()
        .sorted((a, b) -> Short.compare(a.apiKey().id, b.apiKey().id))
        .forEach(h -> versions.add(new ApiVersion()
            .setApiKey(h.apiKey().id)
            .setMinVersion(h.advertisedMinVersion())
            .setMaxVersion(h.maxVersion())));
    return versions;
  }

  /**
   * The answer to a request the broker cannot decode into an API and version it serves: an
   * ApiVersions v0 body (header v0, no tagged fields) with UNSUPPORTED_VERSION and the list of
   * what is served, so the client learns what to use instead. Kafka answers an ApiVersions request
   * of a version it does not know exactly so; Millrace answers every unknown key and version the
   * same way rather than closing the connection.
   */
  public Response.Reply unsupportedVersionReply(int correlationId) {
    ApiVersionsResponseData body = new ApiVersionsResponseData()
        .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
        .setApiKeys(apiVersions());
    return new Response.Reply(
        new org.apache.kafka.common.message.ResponseHeaderData().setCorrelationId(correlationId),
        (short) 0, body, (short) 0);
  }

  /** Collects handlers; a second handler for the same API is a programming error. */
  public static final class Builder {
    private final Map<ApiKeys, ApiHandler<?>> handlers = new EnumMap<>(ApiKeys.class);

    private Builder() {}

    public Builder register(ApiHandler<?> handler) {
      ApiKeys key = handler.apiKey();
      if (handler.minVersion() > handler.maxVersion()
          || handler.advertisedMinVersion() > handler.minVersion()
          || handler.minVersion() < key.oldestVersion()
          || handler.maxVersion() > key.latestVersion()) {
        throw new IllegalArgumentException("handler " + handler.getClass().getName() + " declares versions "
            + handler.minVersion() + "-" + handler.maxVersion() + " (advertised from "
            + handler.advertisedMinVersion() + ") outside what kafka-clients can decode for " + key
            + " (" + key.oldestVersion() + "-" + key.latestVersion() + ")");
      }
      ApiHandler<?> previous = handlers.putIfAbsent(key, handler);
      if (previous != null) {
        throw new IllegalStateException(key + " already has a handler: " + previous.getClass().getName());
      }
      return this;
    }

    public ApiTable build() {
      Map<ApiKeys, ApiHandler<?>> all = new EnumMap<>(handlers);
      ApiTable table = new ApiTable(all);
      all.putIfAbsent(ApiKeys.API_VERSIONS, new ApiVersionsHandler(table));
      return table;
    }
  }
}
