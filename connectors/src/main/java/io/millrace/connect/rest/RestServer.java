package io.millrace.connect.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.connect.herder.BadRequestException;
import io.millrace.connect.herder.ConnectorOperations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.AlreadyExistsException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's REST API on Vert.x Web, shaped like Kafka Connect's so that its tools and habits
 * carry over (paths, status codes, JSON bodies, {@code {"error_code", "message"}} errors).
 * {@link ConnectorsApi} and {@link PluginsApi} hold the routes.
 *
 * <p>Handlers never block the event loop: every herder call runs on a Vert.x worker thread
 * through {@link #blocking}, and its result is written back on the event loop.
 */
public final class RestServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MAX_BODY_BYTES = 4 * 1024 * 1024;
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final Vertx vertx;
  private final String host;
  private final int port;
  private volatile Router router;
  private HttpServer server;

  public RestServer(Vertx vertx, String host, int port) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts listening (so the worker knows its port, part of its id); until {@link #serve} is
   * called every request gets 503.
   */
  public Future<Integer> start() {
    return vertx.createHttpServer().requestHandler(req -> {
      Router r = router;
      if (r != null) {
        r.handle(req);
      } else {
        req.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end("{\"error_code\":503,\"message\":\"The worker is starting\"}");
      }
    }).listen(port, host).map(s -> {
      server = s;
      LOG.info("Connect REST API listening on {}:{}", host, s.actualPort());
      return s.actualPort();
    });
  }

  /** Serves the API of {@code herder}. */
  public void serve(ConnectorOperations herder) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    new ConnectorsApi(this, herder).mount(router);
    new PluginsApi(this, herder).mount(router);
    router.route().last().handler(ctx -> error(ctx, 404, "HTTP " + ctx.request().method() + " "
        + ctx.request().path() + " not found"));
    router.route().failureHandler(this::failure);
    this.router = router;
  }

  /** An answer whose status (and Location) the work decides; other results take the default. */
  record Reply(int status, Object body, String location) {}

  /**
   * Runs {@code work} on a worker thread, then answers on the event loop with its result as
   * JSON, with {@code status} unless the result is a {@link Reply}.
   */
  <T> void blocking(RoutingContext ctx, int status, Callable<T> work) {
    vertx.<T>executeBlocking(work, false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result() instanceof Reply r) {
        if (r.location() != null) {
          ctx.response().putHeader("Location", r.location());
        }
        respond(ctx, r.status(), r.body());
      } else {
        respond(ctx, status, ar.result());
      }
    });
  }

  void respond(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status);
    if (body == null || status == 204) {
      ctx.response().end();
      return;
    }
    try {
      ctx.response().putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }

  static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(Buffer.buffer(JSON.writeValueAsBytes(
              Map.of("error_code", status, "message", message == null ? "" : message))));
    } catch (JsonProcessingException e) {
      ctx.response().setStatusCode(500).end();
    }
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int status = ctx.statusCode();
    if (t == null) {
      error(ctx, status < 0 ? 500 : status, status == 413 ? "Request body too large"
          : "HTTP " + status);
      return;
    }
    if (t instanceof NotFoundException) {
      error(ctx, 404, t.getMessage());
    } else if (t instanceof AlreadyExistsException
        || t instanceof io.millrace.connect.herder.ConflictException) {
      error(ctx, 409, t.getMessage());
    } else if (t instanceof BadRequestException
        || t instanceof ConfigException || t instanceof IllegalArgumentException) {
      error(ctx, 400, t.getMessage());
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
      error(ctx, 500, t.getMessage());
    }
  }

  /**
   * Parses a request body that must be a JSON object; a missing, malformed or differently
   * shaped one fails the request with 400.
   */
  static Map<String, Object> object(RoutingContext ctx) {
    String body = ctx.body().asString();
    if (body == null || body.isBlank()) {
      throw new BadRequestException("Request body is required");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("Request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new BadRequestException("Request body is required");
    }
    if (!node.isObject()) {
      throw new BadRequestException("Request body must be a JSON object, not "
          + node.getNodeType().name().toLowerCase());
    }
    return JSON.convertValue(node, OBJECT);
  }

  /** The boolean query parameter {@code name}; {@code dflt} when it is absent. */
  static boolean flag(RoutingContext ctx, String name, boolean dflt) {
    List<String> v = ctx.queryParam(name);
    return v.isEmpty() ? dflt : Boolean.parseBoolean(v.get(0));
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
  }
}
