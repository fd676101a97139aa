package io.millrace.engine.metadata;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's part in the metadata quorum: it stores the images controllers propose and applies
 * those that are committed. Each broker is an acceptor in the Paxos sense, with the controller
 * as the only proposer of its ballot:
 *
 * <pre>
 *   claim(b)            b above every ballot promised: promise b (fsync), answer with the stored
 *                       image and the ballot it was written under; else refuse, naming the promise
 *   accept(b, image)    b at or above the promise: store the image (fsync) if it is newer than the
 *                       stored one by (ballot, version); else refuse
 *   commit(b, v, img?)  the image of version v is stored on a quorum: apply it (every listener,
 *                       in version order) unless a newer one is applied already
 * </pre>
 *
 * A broker acts (hosts partitions, leads, follows) only on committed images, and an image is
 * committed only once a majority of the brokers have stored it, so whatever a broker acts on
 * survives the loss of any minority and a full restart (see the engine README).
 *
 * <p>Thread-safe: every operation runs serially on the acceptor's own context; file writes run on
 * worker threads before the answer. Listeners are called on that context, one image at a time.
 */
public final class MetadataAcceptor {

  private static final Logger log = LoggerFactory.getLogger(MetadataAcceptor.class);

  /** The answer to a claim: promised or not, the highest promise, and the stored image (or null). */
  public record ClaimReply(boolean promised, Ballot highestPromise, MetadataImage stored) {}

  /** The answer to an accept: stored or not, and the highest promise. */
  public record AcceptReply(boolean accepted, Ballot highestPromise) {}

  /**
   * The answer to a commit: {@code needImage} when the commit named an image this broker has not
   * stored (send it again with the image); {@code appliedVersion} the newest image applied here.
   */
  public record CommitReply(boolean needImage, long appliedVersion) {}

  private final VertxInternal vertx;
  private final MetadataStore store;
  private final PromiseFile promiseFile;
  private final SerialExecutor serial;
  private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<MetadataImage>> appliedCallbacks = new CopyOnWriteArrayList<>();
  private final Promise<MetadataImage> firstApplied = Promise.promise();
  // acceptor context only, published for readers through the volatile fields
  private volatile Ballot promised = Ballot.NONE;
  private volatile MetadataImage stored;
  private volatile MetadataImage applied;

  public MetadataAcceptor(Vertx vertx, MetadataStore store) {
    this.vertx = (VertxInternal) vertx;
    this.store = store;
    this.promiseFile = new PromiseFile(store.file().getParent());
    this.serial = new SerialExecutor(this.vertx.createEventLoopContext());
  }

  /** Loads the promise and the stored image. Fails if either file is damaged. */
  public Future<Void> start() {
    return serial.submit(() -> vertx.executeBlocking(() -> {
      promised = promiseFile.load();
      stored = store.load().orElse(null);
      if (stored != null) {
        log.info("Stored metadata: version {} of cluster {}, written by controller {} (epoch {}); promised ballot {}",
            stored.version(), stored.clusterId(), stored.controllerId(), stored.controllerEpoch(), promised);
      }
      return null;
    }, false));
  }

  public void addListener(MetadataListener listener) {
    listeners.add(listener);
  }

  /**
   * Registers a callback run (on the acceptor's context) after each image is applied, once
   * {@link #applied()} returns it.
   */
  public void onApplied(java.util.function.Consumer<MetadataImage> callback) {
    appliedCallbacks.add(callback);
  }

  /** The newest committed image applied here, or null before the first. */
  public MetadataImage applied() {
    return applied;
  }

  /** Completes with the first image applied here. */
  public Future<MetadataImage> firstApplied() {
    return firstApplied.future();
  }

  /** The image stored here (committed or not), if any. */
  public Optional<MetadataImage> stored() {
    return Optional.ofNullable(stored);
  }

  /** The highest ballot promised. */
  public Ballot promised() {
    return promised;
  }

  public Future<ClaimReply> claim(Ballot ballot) {
    return serial.submit(() -> {
      if (ballot.isBelow(promised)) {
        return Future.succeededFuture(new ClaimReply(false, promised, null));
      }
      if (ballot.equals(promised)) {
        return Future.succeededFuture(new ClaimReply(true, promised, stored));
      }
      return vertx.executeBlocking(() -> {
        promiseFile.write(ballot);
        return null;
      }, false).map(v -> {
        log.info("Promised controller ballot {} (was {})", ballot, promised);
        promised = ballot;
        return new ClaimReply(true, ballot, stored);
      });
    });
  }

  public Future<AcceptReply> accept(Ballot ballot, MetadataImage image) {
    return serial.submit(() -> acceptNow(ballot, image));
  }

  private Future<AcceptReply> acceptNow(Ballot ballot, MetadataImage image) {
    if (ballot.isBelow(promised) || !ballot.equals(image.ballot())) {
      return Future.succeededFuture(new AcceptReply(false, promised));
    }
    if (stored != null && !stored.clusterId().equals(image.clusterId())) {
      log.error("Refusing metadata of cluster {} from controller {}: this broker belongs to cluster {}"
          + " (its data dirs are from another cluster)", image.clusterId(), ballot, stored.clusterId());
      return Future.succeededFuture(new AcceptReply(false, promised));
    }
    if (stored != null && !newer(image, stored)) {
      return Future.succeededFuture(new AcceptReply(true, promised));
    }
    return vertx.executeBlocking(() -> {
      if (ballot.isAbove(promised)) {
        promiseFile.write(ballot);
      }
      store.write(image);
      return null;
    }, false).map(v -> {
      if (ballot.isAbove(promised)) {
        promised = ballot;
      }
      stored = image;
      return new AcceptReply(true, promised);
    });
  }

  /**
   * Applies the committed image {@code version} of {@code ballot}: the stored one, or
   * {@code image} if given (stored first). A committed image is safe to store and apply whatever
   * this broker promised since: it is part of every later controller's history.
   */
  public Future<CommitReply> commit(Ballot ballot, long version, MetadataImage image) {
    return serial.submit(() -> {
      MetadataImage current = applied;
      if (current != null && current.version() >= version) {
        return Future.succeededFuture(new CommitReply(false, current.version()));
      }
      MetadataImage committed;
      Future<Void> storedFirst = Future.succeededFuture();
      if (stored != null && stored.ballot().equals(ballot) && stored.version() == version) {
        committed = stored;
      } else if (image != null && image.ballot().equals(ballot) && image.version() == version) {
        if (stored != null && !stored.clusterId().equals(image.clusterId())) {
          log.error("Refusing committed metadata of cluster {}: this broker belongs to cluster {}",
              image.clusterId(), stored.clusterId());
          return Future.succeededFuture(new CommitReply(false, current == null ? -1 : current.version()));
        }
        committed = image;
        if (stored == null || newer(image, stored)) {
          storedFirst = vertx.executeBlocking(() -> {
            store.write(image);
            return null;
          }, false).map(v -> {
            stored = image;
            return null;
          });
        }
      } else {
        return Future.succeededFuture(new CommitReply(true, current == null ? -1 : current.version()));
      }
      return storedFirst.compose(v -> apply(current, committed))
          .map(v -> new CommitReply(false, committed.version()));
    });
  }

  private Future<Void> apply(MetadataImage previous, MetadataImage next) {
    Future<Void> done = Future.succeededFuture();
    for (MetadataListener listener : listeners) {
      done = done.compose(x -> listener.onImage(previous, next).recover(e -> {
        log.error("Metadata listener {} failed to apply image version {}", listener, next.version(), e);
        return Future.succeededFuture();
      }));
    }
    return done.onSuccess(v -> {
      applied = next;
      firstApplied.tryComplete(next);
      for (var callback : appliedCallbacks) {
        try {
          callback.accept(next);
        } catch (RuntimeException e) {
          log.error("Callback after applying image version {} failed", next.version(), e);
        }
      }
    });
  }

  /** Ordered by ballot, then version: the order in which controllers' images supersede each other. */
  static boolean newer(MetadataImage a, MetadataImage b) {
    int c = a.ballot().compareTo(b.ballot());
    return c != 0 ? c > 0 : a.version() > b.version();
  }
}
