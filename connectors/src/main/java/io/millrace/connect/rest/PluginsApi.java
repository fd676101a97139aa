package io.millrace.connect.rest;

import io.millrace.connect.herder.BadRequestException;
import io.millrace.connect.herder.ConnectorOperations;
import io.millrace.connect.runtime.ConfigValidation;
import io.millrace.connect.runtime.Plugins;
import io.millrace.connect.runtime.Plugins.Kind;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.NotFoundException;

/** {@code /connector-plugins}: what is installed, and config validation. */
final class PluginsApi {
  private final RestServer rest;
  private final ConnectorOperations herder;

  PluginsApi(RestServer rest, ConnectorOperations herder) {
    this.rest = rest;
    this.herder = herder;
  }

  static String version() {
    Package p = PluginsApi.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  void mount(Router r) {
    r.get("/connector-plugins").handler(this::list);
    r.put("/connector-plugins/:plugin/config/validate").handler(this::validate);
    r.get("/connector-plugins/:plugin/config").handler(ctx -> rest.blocking(ctx, 200, () -> {
      Plugins plugins = herder.plugins();
      String cls = plugins.resolve(ctx.pathParam("plugin"));
      try {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConfigDef.ConfigKey k : plugins.newConnector(cls).config().configKeys().values()) {
          out.add(definition(k));
        }
        return out;
      } catch (org.apache.kafka.common.config.ConfigException e) {
        throw new NotFoundException("Unknown plugin " + ctx.pathParam("plugin"));
      }
    }));
  }

  private void list(RoutingContext ctx) {
    boolean connectorsOnly = RestServer.flag(ctx, "connectorsOnly", true);
    List<Kind> kinds = connectorsOnly ? List.of(Kind.SOURCE, Kind.SINK) : List.of(Kind.values());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Plugins.Plugin p : herder.plugins().list(kinds)) {
      out.add(Map.of("class", p.className(), "type", p.kind().restName(),
          "version", p.version()));
    }
    rest.respond(ctx, 200, out);
  }

  private void validate(RoutingContext ctx) {
    Map<String, String> config = ConnectorsApi.strings(RestServer.object(ctx));
    String plugin = ctx.pathParam("plugin");
    String cls = config.get("connector.class");
    if (cls == null) {
      config.put("connector.class", plugin);
    } else if (!herder.plugins().resolve(cls).equals(herder.plugins().resolve(plugin))
        && !cls.endsWith("." + plugin) && !cls.equals(plugin)) {
      throw new BadRequestException("Included connector type " + cls
          + " does not match request type " + plugin);
    }
    rest.blocking(ctx, 200, () -> render(herder.validate(config)));
  }

  static Map<String, Object> render(ConfigValidation.Result r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", r.connectorClass());
    out.put("error_count", r.errorCount());
    out.put("groups", new ArrayList<>(r.groups()));
    List<Map<String, Object>> configs = new ArrayList<>();
    for (ConfigDef.ConfigKey k : r.keys()) {
      ConfigValue v = r.values().get(k.name);
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("name", k.name);
      value.put("value", v == null || v.value() == null ? null : render(v.value()));
      value.put("recommended_values", v == null ? List.of()
          : v.recommendedValues().stream().map(PluginsApi::render).toList());
      value.put("errors", v == null ? List.of() : v.errorMessages());
      value.put("visible", v == null || v.visible());
      configs.add(Map.of("definition", definition(k), "value", value));
    }
    out.put("configs", configs);
    return out;
  }

  private static Map<String, Object> definition(ConfigDef.ConfigKey k) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", k.name);
    d.put("type", k.type.name());
    d.put("required", !k.hasDefault());
    d.put("default_value", k.hasDefault() && k.defaultValue != null
        ? ConfigDef.convertToString(k.defaultValue, k.type) : null);
    d.put("importance", k.importance == null ? null : k.importance.name());
    d.put("documentation", k.documentation);
    d.put("group", k.group);
    d.put("width", k.width == null ? null : k.width.name());
    d.put("display_name", k.displayName);
    d.put("dependents", k.dependents);
    d.put("order", k.orderInGroup);
    return d;
  }

  private static String render(Object value) {
    if (value instanceof Class<?> c) {
      return c.getName();
    }
    if (value instanceof List<?> l) {
      return String.join(",", l.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
