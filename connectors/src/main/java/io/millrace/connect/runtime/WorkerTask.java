package io.millrace.connect.runtime;

import io.millrace.connect.storage.StatusStore.State;
import io.millrace.connect.storage.TargetState;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task running on its own worker thread (never an event loop): the life cycle shared by
 * source and sink tasks. {@link #run} executes until {@link #stop} is called or the task fails;
 * the state goes RUNNING ⇄ PAUSED, then to FAILED or (on stop) UNASSIGNED.
 *
 * <p>{@link #stop}, {@link #transitionTo} and {@link #awaitStop} may be called from any thread;
 * everything else runs on the task's thread.
 */
public abstract class WorkerTask implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerTask.class);

  protected final TaskId id;
  protected final ConnectorConfig connectorConfig;
  protected final Map<String, String> taskProps;
  private final StatusListener status;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile TargetState target;
  private volatile boolean stopping;
  private volatile boolean failed;

  protected WorkerTask(TaskId id, ConnectorConfig connectorConfig, Map<String, String> taskProps,
      TargetState initial, StatusListener status) {
    this.id = id;
    this.connectorConfig = connectorConfig;
    this.taskProps = taskProps;
    this.target = initial;
    this.status = status;
  }

  public TaskId id() {
    return id;
  }

  public Map<String, String> taskProps() {
    return taskProps;
  }

  public boolean failed() {
    return failed;
  }

  @Override
  public final void run() {
    Thread.currentThread().setName("millrace-connect-task-" + id);
    try {
      initializeAndStart();
      if (!stopping) {
        status.onTaskState(id, target == TargetState.STARTED ? State.RUNNING : State.PAUSED, null);
        execute();
      }
    } catch (Throwable t) {
      if (!stopping) {
        failed = true;
        LOG.error("Task {} failed; it stays FAILED until restarted", id, t);
        status.onTaskState(id, State.FAILED, t);
      } else {
        LOG.warn("Task {} failed while stopping", id, t);
      }
    } finally {
      try {
        close();
      } catch (Throwable t) {
        LOG.warn("Task {} did not close cleanly", id, t);
      }
      if (!failed) {
        status.onTaskState(id, State.UNASSIGNED, null);
      }
      finished.countDown();
    }
  }

  /** Creates clients, initialises and starts the connector's task. */
  protected abstract void initializeAndStart() throws Exception;

  /** The main loop; returns when {@link #stopping()} turns true. */
  protected abstract void execute() throws Exception;

  /** Releases everything; runs on the task thread after the loop, even after a failure. */
  protected abstract void close();

  /** Called on the stopping thread to interrupt a blocked poll. */
  protected abstract void onStopRequested();

  /** Asks the task to stop; returns at once. */
  public final void stop() {
    stopping = true;
    signal();
    try {
      onStopRequested();
    } catch (RuntimeException e) {
      LOG.warn("Task {} refused to be interrupted", id, e);
    }
  }

  /** Waits for the task thread to finish. */
  public final boolean awaitStop(long timeoutMs) {
    try {
      return finished.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public final void transitionTo(TargetState state) {
    if (state == target) {
      return;
    }
    target = state;
    signal();
    onTargetStateChanged(state);
    if (!stopping && !failed) {
      status.onTaskState(id, state == TargetState.STARTED ? State.RUNNING : State.PAUSED, null);
    }
  }

  /** Hook for sinks, which pause their consumer rather than stop polling it. */
  protected void onTargetStateChanged(TargetState state) {}

  protected final boolean stopping() {
    return stopping;
  }

  protected final boolean paused() {
    return target != TargetState.STARTED;
  }

  /** Blocks while paused (sources); returns false when stopping. */
  protected final boolean awaitUnpaused() {
    lock.lock();
    try {
      while (paused() && !stopping) {
        changed.await(1, TimeUnit.SECONDS);
      }
      return !stopping;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
