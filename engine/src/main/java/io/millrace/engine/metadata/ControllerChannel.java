package io.millrace.engine.metadata;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;

/**
 * How brokers send requests to the controller (forwarded admin requests, registrations, ISR
 * changes, producer id blocks, controlled shutdown): one JSON request per action, one JSON reply.
 * Thread-safe; futures may complete on any context.
 */
public interface ControllerChannel {

  /**
   * Sends {@code request} to the controller on broker {@code controllerId}. Fails when the broker
   * cannot be reached or does not answer within {@code timeoutMs}.
   */
  Future<JsonObject> send(int controllerId, String action, JsonObject request, long timeoutMs);

  /** Serves the requests sent to this broker: {@code handler(action, request)} gives the reply. */
  void serve(BiFunction<String, JsonObject, Future<JsonObject>> handler);
}
