package io.millrace.connect.rest;

import io.millrace.connect.herder.BadRequestException;
import io.millrace.connect.herder.ConnectorInfo;
import io.millrace.connect.herder.ConnectorStatus;
import io.millrace.connect.herder.ConnectorOperations;
import io.millrace.connect.runtime.TaskId;
import io.millrace.connect.storage.StatusStore.Status;
import io.millrace.connect.storage.TargetState;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.NotFoundException;

/** {@code /connectors/...}: deploy, inspect, pause, resume, stop, restart, delete, offsets. */
final class ConnectorsApi {

  private final RestServer rest;
  private final ConnectorOperations herder;

  ConnectorsApi(RestServer rest, ConnectorOperations herder) {
    this.rest = rest;
    this.herder = herder;
  }

  void mount(Router r) {
    r.get("/").handler(ctx -> rest.blocking(ctx, 200, () -> {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("version", PluginsApi.version());
      root.put("commit", PluginsApi.version());
      root.put("kafka_cluster_id", herder.kafkaClusterId());
      return root;
    }));
    r.get("/connectors").handler(this::list);
    r.post("/connectors").handler(this::create);
    r.get("/connectors/:name").handler(ctx ->
        rest.blocking(ctx, 200, () -> info(herder.info(name(ctx)))));
    r.delete("/connectors/:name").handler(ctx ->
        rest.blocking(ctx, 204, () -> {
          herder.delete(name(ctx));
          return null;
        }));
    r.get("/connectors/:name/config").handler(ctx ->
        rest.blocking(ctx, 200, () -> herder.info(name(ctx)).config()));
    r.put("/connectors/:name/config").handler(this::putConfig);
    r.get("/connectors/:name/status").handler(ctx ->
        rest.blocking(ctx, 200, () -> status(herder.status(name(ctx)))));
    r.get("/connectors/:name/tasks").handler(ctx -> rest.blocking(ctx, 200, () -> tasks(name(ctx))));
    r.get("/connectors/:name/tasks/:task/status").handler(ctx ->
        rest.blocking(ctx, 200, () -> taskStatus(name(ctx), task(ctx))));
    r.post("/connectors/:name/tasks/:task/restart").handler(ctx ->
        rest.blocking(ctx, 204, () -> {
          herder.restartTask(name(ctx), task(ctx));
          return null;
        }));
    r.put("/connectors/:name/pause").handler(ctx -> target(ctx, TargetState.PAUSED));
    r.put("/connectors/:name/resume").handler(ctx -> target(ctx, TargetState.STARTED));
    r.put("/connectors/:name/stop").handler(ctx -> target(ctx, TargetState.STOPPED));
    r.post("/connectors/:name/restart").handler(this::restart);
    r.get("/connectors/:name/offsets").handler(ctx ->
        rest.blocking(ctx, 200, () -> Map.of("offsets", herder.offsets(name(ctx)))));
    r.patch("/connectors/:name/offsets").handler(this::alterOffsets);
    r.delete("/connectors/:name/offsets").handler(ctx -> rest.blocking(ctx, 200, () -> {
      herder.alterOffsets(name(ctx), null);
      return Map.of("message", "The offsets for this connector have been reset successfully");
    }));
  }

  private void list(RoutingContext ctx) {
    List<String> expand = ctx.queryParam("expand");
    rest.blocking(ctx, 200, () -> {
      List<String> names = herder.connectors();
      if (expand.isEmpty()) {
        return names;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (String n : names) {
        Map<String, Object> e = new LinkedHashMap<>();
        try {
          if (expand.contains("status")) {
            e.put("status", status(herder.status(n)));
          }
          if (expand.contains("info")) {
            e.put("info", info(herder.info(n)));
          }
        } catch (NotFoundException gone) {
          continue; // deleted while we listed
        }
        out.put(n, e);
      }
      return out;
    });
  }

  private void create(RoutingContext ctx) {
    Map<String, Object> body = RestServer.object(ctx);
    Object name = body.get("name");
    if (name != null && !(name instanceof String)) {
      throw new BadRequestException("Connector \"name\" must be a string, not " + name);
    }
    if (!(name instanceof String n) || n.isBlank()) {
      throw new BadRequestException("Connector name is required: the body needs a \"name\"");
    }
    if (!(body.get("config") instanceof Map<?, ?> cfg)) {
      throw new BadRequestException("Connector config is required: the body needs a \"config\" "
          + "object");
    }
    TargetState initial = initialState(body.get("initial_state"));
    Map<String, String> config = strings(cfg);
    rest.blocking(ctx, 201, () -> {
      ConnectorOperations.Created created = herder.putConnector(n, config, true, initial);
      return new RestServer.Reply(201, info(created.info()), "/connectors/" + n);
    });
  }

  private void putConfig(RoutingContext ctx) {
    Map<String, String> config = strings(RestServer.object(ctx));
    String name = name(ctx);
    rest.blocking(ctx, 200, () -> {
      ConnectorOperations.Created result = herder.putConnector(name, config, false, TargetState.STARTED);
      return result.created()
          ? new RestServer.Reply(201, info(result.info()), "/connectors/" + name)
          : info(result.info());
    });
  }

  private void target(RoutingContext ctx, TargetState state) {
    rest.blocking(ctx, 202, () -> {
      herder.setTargetState(name(ctx), state);
      return null;
    });
  }

  private void restart(RoutingContext ctx) {
    boolean includeTasks = RestServer.flag(ctx, "includeTasks", false);
    boolean onlyFailed = RestServer.flag(ctx, "onlyFailed", false);
    boolean plain = !includeTasks && !onlyFailed;
    rest.blocking(ctx, plain ? 204 : 202, () -> {
      herder.restartConnector(name(ctx), includeTasks, onlyFailed);
      return plain ? null : status(herder.status(name(ctx)));
    });
  }

  @SuppressWarnings("unchecked")
  private void alterOffsets(RoutingContext ctx) {
    Map<String, Object> body = RestServer.object(ctx);
    if (!(body.get("offsets") instanceof List<?> list)) {
      throw new BadRequestException("The body needs an \"offsets\" array");
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map)) {
        throw new BadRequestException("Each entry of \"offsets\" must be an object");
      }
      entries.add((Map<String, Object>) o);
    }
    rest.blocking(ctx, 200, () -> {
      herder.alterOffsets(name(ctx), entries);
      return Map.of("message", "The offsets for this connector have been altered successfully");
    });
  }

  private List<Map<String, Object>> tasks(String name) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Map<String, String>> cfgs = herder.taskConfigs(name);
    for (int i = 0; i < cfgs.size(); i++) {
      out.add(Map.of("id", Map.of("connector", name, "task", i), "config", cfgs.get(i)));
    }
    return out;
  }

  private Map<String, Object> taskStatus(String name, int task) {
    ConnectorStatus s = herder.status(name);
    Status t = s.tasks().get(task);
    if (t == null) {
      throw new NotFoundException("Task " + name + "-" + task + " not found");
    }
    return state(t, task);
  }

  static Map<String, Object> info(ConnectorInfo info) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", info.name());
    out.put("config", info.config());
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (TaskId t : info.tasks()) {
      tasks.add(Map.of("connector", t.connector(), "task", t.task()));
    }
    out.put("tasks", tasks);
    out.put("type", info.type());
    return out;
  }

  static Map<String, Object> status(ConnectorStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", s.name());
    out.put("connector", state(s.connector(), -1));
    List<Map<String, Object>> tasks = new ArrayList<>();
    s.tasks().forEach((id, t) -> tasks.add(state(t, id)));
    out.put("tasks", tasks);
    out.put("type", s.type());
    return out;
  }

  private static Map<String, Object> state(Status s, int id) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (id >= 0) {
      out.put("id", id);
    }
    out.put("state", s.state().name());
    out.put("worker_id", s.workerId());
    if (s.trace() != null) {
      out.put("trace", s.trace());
    }
    return out;
  }

  private static TargetState initialState(Object v) {
    if (v == null) {
      return TargetState.STARTED;
    }
    String s = v.toString().toUpperCase();
    if (s.equals("RUNNING")) {
      return TargetState.STARTED;
    }
    try {
      return TargetState.valueOf(s.equals("STARTED") ? "STARTED" : s);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("initial_state must be RUNNING, PAUSED or STOPPED, not " + v);
    }
  }

  static Map<String, String> strings(Map<?, ?> in) {
    Map<String, String> out = new LinkedHashMap<>();
    in.forEach((k, v) -> {
      if (v instanceof Map || v instanceof List) {
        throw new BadRequestException("Connector configuration is invalid: " + k + ": must be "
            + "a string, number or boolean, not " + (v instanceof Map ? "an object" : "an array"));
      }
      if (v != null) {
        out.put(String.valueOf(k), String.valueOf(v));
      }
    });
    return out;
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }

  private static int task(RoutingContext ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("task"));
    } catch (NumberFormatException e) {
      throw new BadRequestException("Task id must be a number, not " + ctx.pathParam("task"));
    }
  }
}
