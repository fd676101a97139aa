package io.millrace.engine.metadata;

import io.millrace.engine.metadata.MetadataChanges.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller of a single-node cluster. Changes run one at a time, in submission order, on the
 * controller's own event-loop context: compute the next image ({@link MetadataChanges}), write it
 * ({@link MetadataStore}, on a worker thread), hand it to each listener in turn, then make it the
 * current image and complete the caller's future.
 *
 * <p>On start it loads the stored image (or creates a new cluster with a random id), registers
 * this broker with its current endpoints, and publishes that image.
 */
public final class LocalController implements Controller {

  private static final Logger log = LoggerFactory.getLogger(LocalController.class);

  /** Producer ids handed out per block, as Kafka does. */
  public static final int PRODUCER_ID_BLOCK_SIZE = 1000;

  private final VertxInternal vertx;
  /** Runs the changes one at a time, in order, on the controller's own context. */
  private final SerialExecutor serial;
  private final MetadataStore store;
  private final MetadataChanges changes;
  private final ReplicaChanges replicaChanges;
  private final BrokerRegistration self;
  private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
  private volatile MetadataImage image;

  public LocalController(Vertx vertx, MetadataStore store, MetadataChanges changes, BrokerRegistration self) {
    this.vertx = (VertxInternal) vertx;
    this.serial = new SerialExecutor(this.vertx.createEventLoopContext());
    this.store = store;
    this.changes = changes;
    this.replicaChanges = ReplicaChanges.from(changes.rules());
    this.self = self;
  }

  /** Loads or creates the image, registers this broker and publishes. Fails if the file is damaged. */
  public Future<MetadataImage> start() {
    return submitRaw(() -> vertx.<java.util.Optional<MetadataImage>>executeBlocking(store::load, false)
        .compose(stored -> {
          MetadataImage base = stored.orElseGet(() -> {
            String clusterId = Uuid.randomUuid().toString();
            log.info("No metadata at {}: starting a new cluster {}", store.file(), clusterId);
            return MetadataImage.empty(clusterId, self.id());
          });
          stored.ifPresent(s -> log.info("Loaded metadata version {} of cluster {}: {} topic(s)",
              s.version(), s.clusterId(), s.topics().size()));
          MetadataImage registered = new MetadataImage(base.version() + 1, base.clusterId(), self.id(),
              Map.of(self.id(), self), base.topics(), base.nextProducerId());
          return commit(null, registered).map(registered);
        }));
  }

  @Override
  public MetadataImage image() {
    return image;
  }

  @Override
  public void addListener(MetadataListener listener) {
    listeners.add(listener);
  }

  @Override
  public Future<Void> registerBroker(BrokerRegistration broker) {
    return submit(img -> new Outcome<>(broker.equals(img.brokers().get(broker.id())) ? null : img.withBroker(broker), null));
  }

  @Override
  public Future<Map<String, TopicCreation>> createTopics(List<NewTopic> topics, boolean validateOnly) {
    return submit(img -> changes.createTopics(img, topics, validateOnly));
  }

  @Override
  public Future<Map<String, ApiError>> deleteTopics(Collection<String> names) {
    return submit(img -> changes.deleteTopics(img, names));
  }

  @Override
  public Future<Map<String, ApiError>> createPartitions(List<NewPartitions> requests, boolean validateOnly) {
    return submit(img -> changes.createPartitions(img, requests, validateOnly));
  }

  @Override
  public Future<Map<String, ApiError>> alterTopicConfigs(Map<String, ConfigChange> configChanges, boolean validateOnly) {
    return submit(img -> changes.alterTopicConfigs(img, configChanges, validateOnly));
  }

  @Override
  public Future<ProducerIdBlock> allocateProducerIds() {
    return submit(img -> changes.allocateProducerIds(img, PRODUCER_ID_BLOCK_SIZE));
  }

  @Override
  public Future<ReplicaChanges.IsrResult> alterPartition(ReplicaChanges.IsrChange change) {
    return submit(img -> replicaChanges.alterPartition(img, change));
  }

  @Override
  public Future<Map<org.apache.kafka.common.TopicPartition, ApiError>> electLeaders(ReplicaChanges.ElectionType type,
      List<org.apache.kafka.common.TopicPartition> partitions) {
    return submit(img -> replicaChanges.electLeaders(img, type, partitions));
  }

  /** A single node has nowhere to move its leaderships: nothing to do. */
  @Override
  public Future<Void> controlledShutdown(int brokerId) {
    return Future.succeededFuture();
  }

  private <T> Future<T> submit(Function<MetadataImage, Outcome<T>> change) {
    return submitRaw(() -> {
      MetadataImage current = image;
      if (current == null) {
        return Future.failedFuture(new IllegalStateException("the controller has not started"));
      }
      Outcome<T> outcome = change.apply(current);
      if (outcome.image() == null) {
        return Future.succeededFuture(outcome.result());
      }
      return commit(current, outcome.image().atVersion(current.version() + 1)).map(outcome.result());
    });
  }

  /** Runs {@code step} after every earlier change has finished, on the controller context. */
  private <T> Future<T> submitRaw(java.util.function.Supplier<Future<T>> step) {
    return serial.submit(step);
  }

  /** Persists {@code next}, lets every listener apply it, then publishes it. */
  private Future<Void> commit(MetadataImage previous, MetadataImage next) {
    return vertx.<Void>executeBlocking(() -> {
      store.write(next);
      return null;
    }, false).compose(v -> {
      Future<Void> applied = Future.succeededFuture();
      for (MetadataListener listener : listeners) {
        applied = applied.compose(x -> listener.onImage(previous, next).recover(e -> {
          log.error("Metadata listener {} failed to apply image version {}", listener, next.version(), e);
          return Future.succeededFuture();
        }));
      }
      return applied;
    }).onSuccess(v -> image = next);
  }
}
