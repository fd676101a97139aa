package io.millrace.engine.cluster;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.cp.lock.FencedLock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for the controller lock, a CP {@link FencedLock}: whoever holds it is the controller,
 * and its fencing token (which only grows while the CP Subsystem lives) starts the controller
 * epoch. The lock is tied to the holder's CP session: a controller that crashes, hangs or is cut
 * off from the CP majority stops heartbeating and loses the lock after
 * {@code cluster.cp.session.ttl.seconds}; another broker then takes it with a higher token.
 *
 * <pre>
 *   waiting --tryLock--&gt; holding --getFence fails / token differs / CP silent for a session TTL--&gt; waiting
 *                          |  (elected(fence) on entry, lost(why) on exit)
 *                          +--giveUp() (outbid in the metadata quorum)--&gt; unlock, back off, waiting
 * </pre>
 *
 * Safety does not rest on the lock alone: a controller that believes it still holds it after the
 * CP Subsystem gave it away is stopped by the brokers' promises (see the engine README).
 *
 * <p>The lock belongs to the thread that took it, so one thread of its own runs the loop; a
 * watchdog declares the lock lost when that thread has not heard from the CP Subsystem for a
 * session TTL. Listener calls come from those threads.
 */
public final class ControllerElection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerElection.class);

  /** Told when this broker becomes controller and when it stops being one. */
  public interface Listener {
    void elected(long fence);

    void lost(String why);
  }

  private final ClusterNode node;
  private final Listener listener;
  private final long checkIntervalMs;
  private final long silenceLimitMs;
  private final Thread thread;
  private final Thread watchdog;
  private volatile boolean stopped;
  private volatile boolean giveUp;
  /** True from elected() to lost(). Guarded by this. */
  private boolean holding;
  private volatile long lastHeardNanos = System.nanoTime();

  public ControllerElection(ClusterNode node, Listener listener) {
    this.node = node;
    this.listener = listener;
    this.checkIntervalMs = 250;
    this.silenceLimitMs = node.config().cpSessionTtlSeconds() * 1000L;
    this.thread = new Thread(this::run, "millrace-controller-election-" + node.nodeId());
    this.thread.setDaemon(true);
    this.watchdog = new Thread(this::watch, "millrace-controller-watchdog-" + node.nodeId());
    this.watchdog.setDaemon(true);
  }

  public void start() {
    thread.start();
    watchdog.start();
  }

  /** Lets go of the lock (another controller has a higher ballot) and competes again later. */
  public void giveUp() {
    giveUp = true;
    synchronized (this) {
      notifyAll();
    }
  }

  private void run() {
    FencedLock lock = null;
    while (!stopped) {
      long fence = FencedLock.INVALID_FENCE;
      try {
        if (lock == null) {
          // A new proxy after a CP Subsystem reset: the old one names a destroyed group.
          lock = node.hazelcast().getCPSubsystem().getLock(HazelcastSettings.CONTROLLER_LOCK);
        }
        if (node.cpEnabled() && !node.hazelcast().getCPSubsystem().getCPSubsystemManagementService()
            .awaitUntilDiscoveryCompleted(1, TimeUnit.SECONDS)) {
          continue;
        }
        fence = lock.tryLockAndGetFence(1, TimeUnit.SECONDS);
        lastHeardNanos = System.nanoTime();
        if (fence == FencedLock.INVALID_FENCE) {
          continue;
        }
        giveUp = false;
        becomeHolder(fence);
        holdWhileValid(lock, fence);
      } catch (HazelcastInstanceNotActiveException e) {
        stopped = true;
      } catch (com.hazelcast.cp.exception.CPGroupDestroyedException e) {
        log.info("The CP Subsystem was reset: competing for the controller lock again");
        release(lock, FencedLock.INVALID_FENCE, "the CP Subsystem was reset");
        lock = null;
        pause(200);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      } catch (RuntimeException e) {
        if (!stopped) {
          log.info("Controller lock: {}", e.toString());
        }
      }
      release(lock, fence, stopped ? "the broker is stopping" : "lost the controller lock");
      if (!stopped) {
        pause(giveUp ? 2000 : 200);
      }
    }
  }

  private void holdWhileValid(FencedLock lock, long fence) throws InterruptedException {
    while (!stopped && !giveUp) {
      synchronized (this) {
        wait(checkIntervalMs);
      }
      if (stopped || giveUp) {
        return;
      }
      long current = lock.getFence();
      lastHeardNanos = System.nanoTime();
      if (current != fence) {
        return;
      }
      synchronized (this) {
        if (!holding) {
          // The watchdog gave up while the CP Subsystem was silent; it answers again and the lock
          // is still ours: lead again (with a new claim).
          becomeHolder(fence);
        }
      }
    }
  }

  private synchronized void becomeHolder(long fence) {
    holding = true;
    log.info("Broker {} holds the controller lock with fencing token {}", node.nodeId(), fence);
    listener.elected(fence);
  }

  private void release(FencedLock lock, long fence, String why) {
    synchronized (this) {
      if (holding) {
        holding = false;
        listener.lost(why);
      }
    }
    if (fence != FencedLock.INVALID_FENCE && lock != null) {
      try {
        if (lock.isLockedByCurrentThread()) {
          lock.unlock();
        }
      } catch (RuntimeException e) {
        log.debug("Releasing the controller lock: {}", e.toString());
      }
    }
  }

  private void watch() {
    while (!stopped) {
      pause(500);
      long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
      synchronized (this) {
        if (holding && silentMs > silenceLimitMs) {
          holding = false;
          listener.lost("no answer from the CP Subsystem for " + silentMs + " ms");
        }
      }
    }
  }

  private void pause(long ms) {
    try {
      synchronized (this) {
        wait(ms);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  @Override
  public void close() {
    stopped = true;
    synchronized (this) {
      notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (holding) {
        holding = false;
        listener.lost("the broker is stopping");
      }
    }
  }
}
