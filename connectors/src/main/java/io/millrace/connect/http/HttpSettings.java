package io.millrace.connect.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings both HTTP connectors share: URL, headers, authentication, timeout. */
final class HttpSettings {
  static final String URL = "http.url";
  static final String HEADERS = "http.headers";
  static final String AUTH_TYPE = "http.auth.type";
  static final String AUTH_USER = "http.auth.user";
  static final String AUTH_PASSWORD = "http.auth.password";
  static final String AUTH_TOKEN = "http.auth.token";
  static final String TIMEOUT_MS = "http.timeout.ms";

  private HttpSettings() {}

  static ConfigDef define(ConfigDef def) {
    return def
        .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
          try {
            URI u = URI.create(String.valueOf(value).replace("${offset}", ""));
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
              throw new ConfigException(name, value, "Must be an http:// or https:// URL");
            }
          } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "Not a URL: " + e.getMessage());
          }
        }, Importance.HIGH, "The URL.")
        .define(HEADERS, Type.LIST, "", (name, value) -> {
          for (Object h : (List<?>) value) {
            if (!h.toString().contains(":")) {
              throw new ConfigException(name, h, "A header must be 'Name: value'");
            }
          }
        }, Importance.MEDIUM, "Request headers, comma separated, each 'Name: value'.")
        .define(AUTH_TYPE, Type.STRING, "none", ValidString.in("none", "basic", "bearer"),
            Importance.MEDIUM, "none, basic (user and password) or bearer (token).")
        .define(AUTH_USER, Type.STRING, null, Importance.MEDIUM, "User of basic auth.")
        .define(AUTH_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of basic auth.")
        .define(AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM, "Token of bearer auth.")
        .define(TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.LOW,
            "How long a request may take.");
  }

  /** Adds the configured headers, authentication and timeout to a request. */
  static HttpRequest.Builder apply(AbstractConfig c, HttpRequest.Builder b) {
    for (String h : c.getList(HEADERS)) {
      int colon = h.indexOf(':');
      b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
    }
    switch (c.getString(AUTH_TYPE)) {
      case "basic" -> {
        Password p = c.getPassword(AUTH_PASSWORD);
        String user = c.getString(AUTH_USER) == null ? "" : c.getString(AUTH_USER);
        String raw = user + ":" + (p == null ? "" : p.value());
        b.header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
      }
      case "bearer" -> {
        Password t = c.getPassword(AUTH_TOKEN);
        b.header("Authorization", "Bearer " + (t == null ? "" : t.value()));
      }
      default -> { }
    }
    return b.timeout(Duration.ofMillis(c.getInt(TIMEOUT_MS)));
  }
}
