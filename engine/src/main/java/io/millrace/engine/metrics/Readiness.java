package io.millrace.engine.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether a process is ready to serve, as a set of named checks ({@code logs_recovered},
 * {@code cluster_joined}, ...), each ready or not with a reason. The process is ready when every
 * check is. {@code /ready} reports them; the subsystem that owns a condition flips its check.
 *
 * <p>Thread-safe: checks are added and flipped from any thread.
 */
public final class Readiness {

  private final List<Check> checks = new CopyOnWriteArrayList<>();

  /**
   * Adds a check, not ready until {@link Check#ready()} is called.
   *
   * @param reason why it is not ready yet ("recovering the logs")
   * @throws IllegalArgumentException when a check of that name exists
   */
  public Check add(String name, String reason) {
    Objects.requireNonNull(name, "name");
    synchronized (checks) {
      for (Check c : checks) {
        if (c.name.equals(name)) {
          throw new IllegalArgumentException("readiness check " + name + " exists already");
        }
      }
      Check check = new Check(name, reason);
      checks.add(check);
      return check;
    }
  }

  /** True when every check is ready (and there is at least one). */
  public boolean isReady() {
    if (checks.isEmpty()) {
      return false;
    }
    for (Check c : checks) {
      if (!c.isReady()) {
        return false;
      }
    }
    return true;
  }

  /** The checks, in the order they were added. */
  public List<Check> checks() {
    return new ArrayList<>(checks);
  }

  /** One condition of readiness. */
  public static final class Check {
    private final String name;
    private volatile String reason;

    private Check(String name, String reason) {
      this.name = name;
      this.reason = reason == null ? "not ready" : reason;
    }

    public String name() {
      return name;
    }

    /** The condition holds. */
    public void ready() {
      reason = null;
    }

    /** The condition no longer holds (a broker shutting down, a member that lost the cluster). */
    public void notReady(String why) {
      reason = Objects.requireNonNull(why, "why");
    }

    public boolean isReady() {
      return reason == null;
    }

    /** Why the check is not ready, or null when it is. */
    public String reason() {
      return reason;
    }
  }
}
