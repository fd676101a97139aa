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
 * @param controllerEpoch the epoch of the controller that wrote this image (with {@code controllerId}
 *     its ballot in the metadata quorum); 0 on a single node
 */
public record MetadataImage(long version, String clusterId, int controllerId,
    Map<Integer, BrokerRegistration> brokers, Map<String, TopicImage> topics, long nextProducerId,
    long controllerEpoch) {

  public MetadataImage {
    Objects.requireNonNull(clusterId, "clusterId");
    brokers = Collections.unmodifiableMap(new TreeMap<>(brokers));
    topics = Collections.unmodifiableMap(new TreeMap<>(topics));
    if (nextProducerId < 0) {
      throw new IllegalArgumentException("nextProducerId " + nextProducerId);
    }
    if (controllerEpoch < 0) {
      throw new IllegalArgumentException("controllerEpoch " + controllerEpoch);
    }
  }

  /** An image written by a single node's controller (epoch 0). */
  public MetadataImage(long version, String clusterId, int controllerId, Map<Integer, BrokerRegistration> brokers,
      Map<String, TopicImage> topics, long nextProducerId) {
    this(version, clusterId, controllerId, brokers, topics, nextProducerId, 0);
  }

  /** The ballot this image was written under: (controller epoch, controller id). */
  public Ballot ballot() {
    return new Ballot(controllerEpoch, controllerId);
  }

  /** Ids of brokers the controller considers alive (registered and not fenced). */
  public java.util.SortedSet<Integer> liveBrokerIds() {
    java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
    brokers.values().forEach(b -> {
      if (!b.fenced()) {
        out.add(b.id());
      }
    });
    return out;
  }

  public boolean isLive(int brokerId) {
    BrokerRegistration b = brokers.get(brokerId);
    return b != null && !b.fenced();
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
    return new MetadataImage(version + 1, clusterId, controllerId, brokers, next, nextProducerId, controllerEpoch);
  }

  public MetadataImage withoutTopic(String name) {
    Map<String, TopicImage> next = new TreeMap<>(topics);
    next.remove(name);
    return new MetadataImage(version + 1, clusterId, controllerId, brokers, next, nextProducerId, controllerEpoch);
  }

  public MetadataImage withBroker(BrokerRegistration broker) {
    Map<Integer, BrokerRegistration> next = new TreeMap<>(brokers);
    next.put(broker.id(), broker);
    return new MetadataImage(version + 1, clusterId, controllerId, next, topics, nextProducerId, controllerEpoch);
  }

  public MetadataImage withNextProducerId(long next) {
    return new MetadataImage(version + 1, clusterId, controllerId, brokers, topics, next, controllerEpoch);
  }

  /** The same content written by another controller (epoch, id), at the same version. */
  public MetadataImage withController(int id, long epoch) {
    return new MetadataImage(version, clusterId, id, brokers, topics, nextProducerId, epoch);
  }

  /** The same content at another version (used to fold several changes into one step). */
  public MetadataImage atVersion(long newVersion) {
    return new MetadataImage(newVersion, clusterId, controllerId, brokers, topics, nextProducerId, controllerEpoch);
  }
}
