package io.millrace.engine.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The cluster's metadata at one version. Immutable: every change makes a new image with a higher
 * {@link #version()}, so readers on any thread take a consistent snapshot by reading one field.
 *
 * @param version increases by one with each change the controller makes
 * @param clusterId the cluster's id, fixed at the first start
 * @param controllerId the broker id of the active controller
 * @param brokers registered brokers by id
 * @param topics topics by name
 * @param nextProducerId the first producer id not yet handed out in a block
 */
public record MetadataImage(long version, String clusterId, int controllerId,
    Map<Integer, BrokerRegistration> brokers, Map<String, TopicImage> topics, long nextProducerId) {

  public MetadataImage {
    Objects.requireNonNull(clusterId, "clusterId");
    brokers = Collections.unmodifiableMap(new TreeMap<>(brokers));
    topics = Collections.unmodifiableMap(new TreeMap<>(topics));
    if (nextProducerId < 0) {
      throw new IllegalArgumentException("nextProducerId " + nextProducerId);
    }
  }

  /** The first image of a new cluster: no topics. */
  public static MetadataImage empty(String clusterId, int controllerId) {
    return new MetadataImage(0, clusterId, controllerId, Map.of(), Map.of(), 0);
  }

  public TopicImage topic(String name) {
    return topics.get(name);
  }

  /** The topic with this id, or null. Linear in the number of topics: index it if called per request. */
  public TopicImage topic(Uuid id) {
    for (TopicImage t : topics.values()) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    return null;
  }

  /** Topics by id, built on each call. */
  public Map<Uuid, TopicImage> topicsById() {
    Map<Uuid, TopicImage> byId = new HashMap<>();
    topics.values().forEach(t -> byId.put(t.id(), t));
    return byId;
  }

  public MetadataImage withTopic(TopicImage topic) {
    Map<String, TopicImage> next = new TreeMap<>(topics);
    next.put(topic.name(), topic);
    return new MetadataImage(version + 1, clusterId, controllerId, brokers, next, nextProducerId);
  }

  public MetadataImage withoutTopic(String name) {
    Map<String, TopicImage> next = new TreeMap<>(topics);
    next.remove(name);
    return new MetadataImage(version + 1, clusterId, controllerId, brokers, next, nextProducerId);
  }

  public MetadataImage withBroker(BrokerRegistration broker) {
    Map<Integer, BrokerRegistration> next = new TreeMap<>(brokers);
    next.put(broker.id(), broker);
    return new MetadataImage(version + 1, clusterId, controllerId, next, topics, nextProducerId);
  }

  public MetadataImage withNextProducerId(long next) {
    return new MetadataImage(version + 1, clusterId, controllerId, brokers, topics, next);
  }

  /** The same content at another version (used to fold several changes into one step). */
  public MetadataImage atVersion(long newVersion) {
    return new MetadataImage(newVersion, clusterId, controllerId, brokers, topics, nextProducerId);
  }
}
