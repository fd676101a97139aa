package io.millrace.engine.metadata;

import io.millrace.engine.metadata.MetadataAcceptor.ClaimReply;
import io.millrace.engine.metadata.MetadataChanges.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active controller of a cluster: elected by the CP lock, it owns the metadata until it loses
 * the lock or another controller outbids it. It writes through the brokers' {@link
 * MetadataAcceptor}s (Paxos with this controller as the one proposer of its ballot):
 *
 * <pre>
 *   activate(fence)    ballot b = (epoch, node id), epoch = the lock's fencing token, raised above
 *                      every epoch stored here (tokens start again after a full restart)
 *     claim(b)         to every broker; wait for promises from a majority of the brokers registered
 *                      in the newest image any promise carries (all brokers, for a new cluster);
 *                      a refusal naming a higher ballot raises the epoch above it and claims again
 *     adopt            the newest image by (ballot, version); the first change re-proposes it under
 *                      b, fencing brokers whose run has ended
 *   change             next image = decision(current image) (pure: MetadataChanges, ReplicaChanges)
 *     accept(b, next)  to every broker, until a majority of the brokers registered before and after
 *                      the change have stored it (retried; the same image, never another)
 *     commit           apply here, tell every broker (with the image if it had not stored it),
 *                      then answer; a broker that falls behind gets the image again every second
 * </pre>
 *
 * Changes run one at a time. Brokers leaving the cluster are fenced (their leaderships move);
 * brokers register themselves. With {@code auto.leader.rebalance.enable}, preferred leaders are
 * elected every {@code leader.imbalance.check.interval.seconds}.
 *
 * <p>Thread-safe: public methods may be called from any thread; everything runs on the
 * controller's own context.
 */
public final class QuorumController {

  private static final Logger log = LoggerFactory.getLogger(QuorumController.class);
  private static final long RESYNC_INTERVAL_MS = 1000;
  /** How long a change waits for the live brokers to apply it before answering anyway. */
  private static final long APPLY_WAIT_MS = 3000;

  /** Timings and policies, from the broker config. */
  public record Settings(int requestTimeoutMs, boolean autoLeaderRebalance, long imbalanceCheckIntervalMs,
      int imbalancePercent) {}

  /** A claim was refused for a higher ballot. */
  private static final class Outbid extends RuntimeException {
    final Ballot highest;

    Outbid(Ballot highest) {
      super("outbid by " + highest, null, false, false);
      this.highest = highest;
    }
  }

  private final VertxInternal vertx;
  private final ContextInternal context;
  private final int nodeId;
  private final MetadataChanges changes;
  private final ReplicaChanges replicas;
  private final QuorumTransport transport;
  private final MetadataAcceptor local;
  private final Settings settings;
  private final Consumer<String> onDeposed;
  /** Most changes one image carries. */
  private static final int MAX_BATCH = 500;
  /** Changes waiting for the image being stored. Controller context only. */
  private final java.util.ArrayDeque<Pending<?>> queue = new java.util.ArrayDeque<>();
  /** True while an image is being stored and committed. Controller context only. */
  private boolean proposing;
  private volatile boolean active;
  // controller context only
  private long generation;
  private Ballot ballot;
  private MetadataImage committed;
  private final Map<Integer, Long> appliedVersions = new HashMap<>();
  private final Set<Integer> resyncing = new HashSet<>();
  private long resyncTimer = -1;
  private long rebalanceTimer = -1;

  public QuorumController(Vertx vertx, int nodeId, MetadataChanges changes, QuorumTransport transport,
      MetadataAcceptor local, Settings settings, Consumer<String> onDeposed) {
    this.vertx = (VertxInternal) vertx;
    this.context = this.vertx.createEventLoopContext();
    this.nodeId = nodeId;
    this.changes = changes;
    this.replicas = ReplicaChanges.from(changes.rules());
    this.transport = transport;
    this.local = local;
    this.settings = settings;
    this.onDeposed = onDeposed;
    transport.onMembershipChange(() -> context.runOnContext(v -> onMembershipChange()));
  }

  /** True while this broker is the controller and has committed its first image. */
  public boolean isActive() {
    return active;
  }

  /** The controller's committed image (null unless active). */
  public MetadataImage image() {
    return active ? committed : null;
  }

  /** The ballot of the current or last activation (null before the first). */
  public Ballot ballot() {
    return ballot;
  }

  /**
   * Becomes the controller with the lock's fencing token: claims the quorum, adopts the newest
   * image and commits it under its own ballot. Fails if deactivated meanwhile.
   */
  public Future<Void> activate(long fence) {
    Promise<Void> done = context.promise();
    context.runOnContext(v -> {
      long gen = ++generation;
      active = false;
      long epoch = Math.max(fence, local.promised().epoch() + 1);
      epoch = Math.max(epoch, local.stored().map(s -> s.controllerEpoch() + 1).orElse(0L));
      log.info("Elected controller with fencing token {}: claiming the metadata quorum with epoch {}", fence, epoch);
      claimLoop(gen, new Ballot(epoch, nodeId), done);
    });
    return done.future();
  }

  /** Stops acting as controller (the lock is lost, or the broker stops). Pending changes fail. */
  public void deactivate(String why) {
    boolean wasActive = active;
    active = false;
    if (wasActive) {
      log.info("No longer the controller (ballot {}): {}", ballot, why);
    }
    try {
      context.runOnContext(v -> {
        generation++;
        active = false;
        cancelTimers();
        maybePropose(); // fails the queued changes
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Vert.x is closed: nothing runs any more anyway.
    }
  }

  private void cancelTimers() {
    if (resyncTimer >= 0) {
      vertx.cancelTimer(resyncTimer);
      resyncTimer = -1;
    }
    if (rebalanceTimer >= 0) {
      vertx.cancelTimer(rebalanceTimer);
      rebalanceTimer = -1;
    }
  }

  // ---------------------------------------------------------------- claiming

  private void claimLoop(long gen, Ballot b, Promise<Void> done) {
    if (gen != generation) {
      done.tryFail(new NotControllerException("deactivated while claiming"));
      return;
    }
    ballot = b;
    claimRound(b).onComplete(ar -> {
      if (gen != generation) {
        done.tryFail(new NotControllerException("deactivated while claiming"));
      } else if (ar.succeeded()) {
        adopt(gen, b, ar.result(), done);
      } else if (ar.cause() instanceof Outbid outbid) {
        log.info("Ballot {} is below {}, promised to another controller: claiming again above it", b, outbid.highest);
        claimLoop(gen, new Ballot(Math.max(b.epoch(), outbid.highest.epoch()) + 1, nodeId), done);
      } else {
        log.info("Claiming the metadata quorum with ballot {}: {}; trying again", b, ar.cause().getMessage());
        vertx.setTimer(200, t -> context.runOnContext(x -> claimLoop(gen, b, done)));
      }
    });
  }

  /** One claim to every broker; completes with the newest stored image (null: a new cluster). */
  private Future<MetadataImage> claimRound(Ballot b) {
    Promise<MetadataImage> result = context.promise();
    Set<Integer> targets = new TreeSet<>(transport.members().keySet());
    targets.add(nodeId);
    Map<Integer, ClaimReply> replies = new HashMap<>();
    long timer = vertx.setTimer(settings.requestTimeoutMs(), t -> context.runOnContext(v -> result.tryFail(
        new TimeoutException("promises from " + replies.keySet() + " of " + targets + " after "
            + settings.requestTimeoutMs() + " ms are not a quorum"))));
    for (int target : targets) {
      Future<ClaimReply> reply = target == nodeId ? local.claim(b) : transport.claim(target, b);
      reply.onComplete(ar -> context.runOnContext(v -> {
        if (result.future().isComplete() || ar.failed()) {
          return;
        }
        replies.put(target, ar.result());
        try {
          MetadataImage[] chosen = claimOutcome(b, targets, replies);
          if (chosen != null) {
            vertx.cancelTimer(timer);
            result.tryComplete(chosen[0]);
          }
        } catch (Outbid e) {
          vertx.cancelTimer(timer);
          result.tryFail(e);
        }
      }));
    }
    return result.future();
  }

  /**
   * Whether the promises so far are a quorum: a one-element array with the newest stored image
   * (or null for a new cluster), or null to wait for more.
   */
  static MetadataImage[] claimOutcome(Ballot b, Set<Integer> targets, Map<Integer, ClaimReply> replies) {
    MetadataImage best = null;
    for (ClaimReply r : replies.values()) {
      if (!r.promised()) {
        if (r.highestPromise().isAbove(b)) {
          throw new Outbid(r.highestPromise());
        }
        continue;
      }
      if (r.stored() != null && (best == null || MetadataAcceptor.newer(r.stored(), best))) {
        best = r.stored();
      }
    }
    Set<Integer> promisers = new HashSet<>();
    for (Map.Entry<Integer, ClaimReply> e : replies.entrySet()) {
      ClaimReply r = e.getValue();
      if (r.promised() && (best == null || r.stored() == null || r.stored().clusterId().equals(best.clusterId()))) {
        promisers.add(e.getKey());
      } else if (r.promised()) {
        log.error("Broker {} stores metadata of cluster {}, not {}: it is not counted (its data dirs belong"
            + " to another cluster)", e.getKey(), r.stored().clusterId(), best.clusterId());
      }
    }
    if (best == null || best.brokers().isEmpty()) {
      // A new cluster (or one that registered no broker yet): everyone present must agree.
      return promisers.containsAll(targets) ? new MetadataImage[] {best} : null;
    }
    return isMajority(promisers, best.brokers().keySet()) ? new MetadataImage[] {best} : null;
  }

  static boolean isMajority(Set<Integer> acks, Set<Integer> voters) {
    if (voters.isEmpty()) {
      return true;
    }
    long count = voters.stream().filter(acks::contains).count();
    return count * 2 > voters.size();
  }

  private void adopt(long gen, Ballot b, MetadataImage best, Promise<Void> done) {
    MetadataImage base = best;
    if (base == null) {
      String clusterId = Uuid.randomUuid().toString();
      log.info("No broker has metadata: starting a new cluster {}", clusterId);
      base = MetadataImage.empty(clusterId, nodeId);
    } else {
      log.info("Adopted metadata version {} of cluster {} (ballot {}): {} broker(s), {} topic(s)", base.version(),
          base.clusterId(), base.ballot(), base.brokers().size(), base.topics().size());
    }
    MetadataImage first = fenceDeparted(base.withController(nodeId, b.epoch())).atVersion(base.version() + 1);
    MetadataImage previous = base;
    propose(gen, previous, first).compose(v -> commit(gen, first)).onComplete(ar -> {
      if (ar.succeeded() && gen == generation) {
        active = true;
        log.info("Controller active with ballot {} at metadata version {}", b, first.version());
        startTimers(gen);
        done.tryComplete();
      } else {
        done.tryFail(ar.failed() ? ar.cause() : new NotControllerException("deactivated while adopting"));
      }
    });
  }

  // ---------------------------------------------------------------- changes

  /**
   * Runs a change: computes the next image from the committed one, stores it on a quorum, commits
   * and applies it. Fails with {@link NotControllerException} when not the controller, and with a
   * timeout when no quorum stores it in time (it is still retried in the background).
   *
   * <p>Changes queue while an image is being stored; the next image then carries every queued
   * change, applied in order (so a burst of ISR changes after a broker returns costs one quorum
   * write, not one each), except that one image registers at most one new broker: that keeps
   * the registered sets of consecutive images within one broker of each other (see the README).
   */
  public <T> Future<T> submit(Function<MetadataImage, Outcome<T>> change) {
    Promise<T> answer = Promise.promise();
    long timer = vertx.setTimer(settings.requestTimeoutMs(), t -> answer.tryFail(
        new TimeoutException("the controller could not store the change on a quorum of brokers within "
            + settings.requestTimeoutMs() + " ms")));
    Promise<T> done = Promise.promise();
    done.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(ar.cause());
      }
    });
    context.runOnContext(v -> {
      queue.addLast(new Pending<>(change, done));
      maybePropose();
    });
    return answer.future();
  }

  /** A queued change and its caller's promise. */
  private record Pending<T>(Function<MetadataImage, Outcome<T>> change, Promise<T> promise) {
    /** Applies the change; returns the next image (or {@code image} if unchanged) and what completes the caller. */
    Map.Entry<MetadataImage, Runnable> apply(MetadataImage image) {
      try {
        Outcome<T> outcome = change.apply(image);
        MetadataImage next = outcome.image() == null ? image : outcome.image();
        return Map.entry(next, () -> promise.tryComplete(outcome.result()));
      } catch (RuntimeException e) {
        return Map.entry(image, () -> promise.tryFail(e));
      }
    }
  }

  /** Stores and commits the queued changes as one image, unless an image is being stored. Context only. */
  private void maybePropose() {
    if (proposing || queue.isEmpty()) {
      return;
    }
    if (!active) {
      while (!queue.isEmpty()) {
        queue.pollFirst().promise().tryFail(new NotControllerException("broker " + nodeId + " is not the controller"));
      }
      return;
    }
    long gen = generation;
    MetadataImage base = committed;
    MetadataImage image = base;
    java.util.List<Runnable> completions = new java.util.ArrayList<>();
    java.util.List<Pending<?>> batch = new java.util.ArrayList<>();
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      Pending<?> pending = queue.peekFirst();
      Map.Entry<MetadataImage, Runnable> applied = pending.apply(image);
      Set<Integer> added = new HashSet<>(applied.getKey().brokers().keySet());
      added.removeAll(base.brokers().keySet());
      if (added.size() > 1) {
        break; // a second new broker waits for the next image
      }
      queue.pollFirst();
      image = applied.getKey();
      completions.add(applied.getValue());
      batch.add(pending);
    }
    if (image == base) {
      completions.forEach(Runnable::run);
      maybePropose();
      return;
    }
    MetadataImage next = image.atVersion(base.version() + 1);
    proposing = true;
    propose(gen, base, next).compose(v -> commit(gen, next)).onComplete(ar -> {
      proposing = false;
      if (ar.succeeded()) {
        completions.forEach(Runnable::run);
      } else {
        // Not committed by this controller (deposed, or stopping). The image may still be adopted
        // by the next controller, as with a request that times out: callers must not assume either.
        batch.forEach(p -> p.promise().tryFail(ar.cause()));
      }
      maybePropose();
    });
  }

  /** Sends {@code next} to every broker until a quorum has stored it. */
  private Future<Void> propose(long gen, MetadataImage previous, MetadataImage next) {
    Promise<Void> chosen = context.promise();
    Set<Integer> acked = new HashSet<>();
    Set<Integer> waiting = new HashSet<>();
    Runnable[] round = new Runnable[1];
    long[] timer = {-1};
    round[0] = () -> {
      if (chosen.future().isComplete()) {
        return;
      }
      if (gen != generation) {
        chosen.tryFail(new NotControllerException("deactivated while storing version " + next.version()));
        return;
      }
      Set<Integer> targets = new TreeSet<>(transport.members().keySet());
      targets.add(nodeId);
      for (int target : targets) {
        if (acked.contains(target) || !waiting.add(target)) {
          continue;
        }
        var reply = target == nodeId ? local.accept(ballot, next) : transport.accept(target, ballot, next);
        reply.onComplete(ar -> context.runOnContext(v -> {
          waiting.remove(target);
          if (chosen.future().isComplete() || ar.failed()) {
            return;
          }
          if (ar.result().accepted()) {
            acked.add(target);
            if (isMajority(acked, previous.brokers().keySet()) && isMajority(acked, next.brokers().keySet())) {
              vertx.cancelTimer(timer[0]);
              chosen.tryComplete();
              remember(acked, next);
            }
          } else if (ar.result().highestPromise().isAbove(ballot)) {
            vertx.cancelTimer(timer[0]);
            chosen.tryFail(new NotControllerException("outbid by controller ballot " + ar.result().highestPromise()));
            deposed("broker " + target + " promised a higher ballot " + ar.result().highestPromise());
          }
        }));
      }
      timer[0] = vertx.setTimer(Math.max(100, settings.requestTimeoutMs() / 4), t -> context.runOnContext(x -> round[0].run()));
    };
    round[0].run();
    return chosen.future();
  }

  /** Which brokers stored the image being committed: they get the commit without the image. */
  private Set<Integer> storedBy = Set.of();

  private void remember(Set<Integer> acked, MetadataImage next) {
    storedBy = Set.copyOf(acked);
  }

  private void deposed(String why) {
    long gen = generation;
    deactivate(why);
    log.warn("Deposed as controller (generation {}): {}", gen, why);
    onDeposed.accept(why);
  }

  /** Commits a chosen image: applies it here, tells the others, waits (a little) for them to apply it. */
  private Future<Void> commit(long gen, MetadataImage next) {
    if (gen != generation) {
      return Future.failedFuture(new NotControllerException("deactivated before committing version " + next.version()));
    }
    committed = next;
    Set<Integer> stored = storedBy;
    Promise<Void> appliedEverywhere = context.promise();
    Set<Integer> live = new HashSet<>(transport.members().keySet());
    live.remove(nodeId);
    for (int target : live) {
      sendCommit(gen, target, next, stored.contains(target), appliedEverywhere, live);
    }
    long timer = vertx.setTimer(APPLY_WAIT_MS, t -> appliedEverywhere.tryComplete());
    checkApplied(next, live, appliedEverywhere);
    return local.commit(ballot, next.version(), next).compose(r -> appliedEverywhere.future())
        .onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void sendCommit(long gen, int target, MetadataImage image, boolean targetStored, Promise<Void> applied,
      Set<Integer> waitFor) {
    if (gen != generation) {
      return;
    }
    resyncing.add(target);
    transport.commit(target, image.ballot(), image.version(), targetStored ? null : image)
        .onComplete(ar -> context.runOnContext(v -> {
          resyncing.remove(target);
          if (ar.failed()) {
            return;
          }
          if (ar.result().needImage() && targetStored) {
            sendCommit(gen, target, image, false, applied, waitFor);
            return;
          }
          appliedVersions.merge(target, ar.result().appliedVersion(), Math::max);
          if (applied != null) {
            checkApplied(image, waitFor, applied);
          }
        }));
  }

  private void checkApplied(MetadataImage image, Set<Integer> waitFor, Promise<Void> applied) {
    for (int id : waitFor) {
      if (appliedVersions.getOrDefault(id, -1L) < image.version() && image.isLive(id)) {
        return;
      }
    }
    applied.tryComplete();
  }

  // ---------------------------------------------------------------- brokers coming and going

  private void startTimers(long gen) {
    cancelTimers();
    resyncTimer = vertx.setPeriodic(RESYNC_INTERVAL_MS, t -> context.runOnContext(v -> resync(gen)));
    if (settings.autoLeaderRebalance()) {
      rebalanceTimer = vertx.setPeriodic(settings.imbalanceCheckIntervalMs(), t -> context.runOnContext(v -> {
        if (gen == generation && active) {
          submit(img -> {
            var partitions = replicas.imbalanced(img, settings.imbalancePercent());
            return partitions.isEmpty() ? new Outcome<>(null, null)
                : replicas.electLeaders(img, ReplicaChanges.ElectionType.PREFERRED, partitions);
          }).onFailure(e -> log.debug("Preferred leader election failed: {}", e.toString()));
        }
      }));
    }
  }

  /** Sends the committed image to every broker that has not applied it. */
  private void resync(long gen) {
    if (gen != generation || !active) {
      return;
    }
    for (int target : transport.members().keySet()) {
      if (target != nodeId && !resyncing.contains(target)
          && appliedVersions.getOrDefault(target, -1L) < committed.version()) {
        sendCommit(gen, target, committed, false, null, Set.of());
      }
    }
  }

  private void onMembershipChange() {
    if (!active) {
      return;
    }
    Map<Integer, String> members = transport.members();
    appliedVersions.keySet().retainAll(members.keySet());
    submit(img -> {
      MetadataImage next = fenceDeparted(img);
      return new Outcome<>(next == img ? null : next, null);
    }).onFailure(e -> log.warn("Fencing departed brokers failed: {}", e.toString()));
  }

  /** Fences every registered broker whose current run is not in the cluster. */
  private MetadataImage fenceDeparted(MetadataImage image) {
    Map<Integer, String> members = transport.members();
    MetadataImage next = image;
    for (BrokerRegistration b : image.brokers().values()) {
      if (!b.fenced() && !b.incarnation().equals(members.get(b.id()))) {
        log.info("Broker {} (run {}) has left the cluster: fencing it", b.id(), b.incarnation());
        next = replicas.fence(next, b.id());
      }
    }
    return next;
  }

  /** Whether {@code b} is the run of its broker that is in the cluster now. */
  public boolean isCurrentRun(BrokerRegistration b) {
    return b.incarnation().equals(transport.members().get(b.id()));
  }

  /** The decisions about replicas (for the requests the controller serves). */
  public ReplicaChanges replicaChanges() {
    return replicas;
  }

  /** The decisions about topics. */
  public MetadataChanges changes() {
    return changes;
  }
}
