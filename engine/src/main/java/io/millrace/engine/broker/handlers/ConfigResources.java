package io.millrace.engine.broker.handlers;

import java.util.Set;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/** The checks AlterConfigs and IncrementalAlterConfigs share before a change reaches the controller. */
final class ConfigResources {

  private ConfigResources() {}

  /** Null when the resource is a topic named once; otherwise why it cannot be altered. */
  static ApiError check(byte resourceType, String name, Set<String> seenTopics) {
    ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
    if (type == ConfigResource.Type.BROKER || type == ConfigResource.Type.BROKER_LOGGER) {
      return new ApiError(Errors.INVALID_REQUEST, "Broker configs are static on this broker: set them in "
          + "server.properties (or --override) and restart.");
    }
    if (type != ConfigResource.Type.TOPIC) {
      return new ApiError(Errors.INVALID_REQUEST, "Resource type " + type + " has no configs on this broker.");
    }
    if (seenTopics.contains(name)) {
      return new ApiError(Errors.INVALID_REQUEST, "Topic " + name + " appears more than once in the request.");
    }
    return null;
  }
}
