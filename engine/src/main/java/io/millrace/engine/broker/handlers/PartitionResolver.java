package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * Finds the hosted partition a request names, by topic name or (newer versions) topic id, or says
 * which error the client gets: UNKNOWN_TOPIC_OR_PARTITION / UNKNOWN_TOPIC_ID for what does not
 * exist, NOT_LEADER_OR_FOLLOWER for a partition that exists but is not led here (a follower
 * replica serves only its leader's fetcher, never clients).
 */
final class PartitionResolver {

  /** A partition, or the error for it. */
  record Resolved(HostedPartition partition, String topicName, Errors error) {
    boolean ok() {
      return partition != null;
    }
  }

  private final HostedPartitions hosted;
  private final Controller controller;

  PartitionResolver(HostedPartitions hosted, Controller controller) {
    this.hosted = hosted;
    this.controller = controller;
  }

  /** The topic name for a request entry: by id when {@code byId}, else the name as given. Null if unknown. */
  String topicName(boolean byId, String name, Uuid id) {
    if (!byId) {
      return name;
    }
    String known = hosted.topicName(id);
    if (known != null) {
      return known;
    }
    TopicImage topic = controller.image().topic(id);
    return topic == null ? null : topic.name();
  }

  Resolved resolve(boolean byId, String name, Uuid id, int partition) {
    String topicName = topicName(byId, name, id);
    if (topicName == null) {
      return new Resolved(null, null, byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
    HostedPartition p = hosted.get(new TopicPartition(topicName, partition)).orElse(null);
    if (p != null && p.isLeader()) {
      return new Resolved(p, topicName, Errors.NONE);
    }
    TopicImage topic = controller.image().topic(topicName);
    if (topic == null) {
      return new Resolved(null, topicName, byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
    if (topic.partition(partition) == null) {
      return new Resolved(null, topicName, Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
    return new Resolved(null, topicName, Errors.NOT_LEADER_OR_FOLLOWER);
  }
}
