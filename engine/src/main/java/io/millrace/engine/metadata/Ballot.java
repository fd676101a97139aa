package io.millrace.engine.metadata;

/**
 * A controller's claim to write metadata: its epoch, with its broker id to break ties. Ballots are
 * ordered by epoch, then node id; brokers promise not to store anything from a ballot below the
 * highest they have promised (see {@code MetadataAcceptor}).
 */
public record Ballot(long epoch, int nodeId) implements Comparable<Ballot> {

  /** Below every real ballot: nothing promised yet. */
  public static final Ballot NONE = new Ballot(-1, -1);

  @Override
  public int compareTo(Ballot o) {
    int c = Long.compare(epoch, o.epoch);
    return c != 0 ? c : Integer.compare(nodeId, o.nodeId);
  }

  public boolean isAbove(Ballot o) {
    return compareTo(o) > 0;
  }

  public boolean isBelow(Ballot o) {
    return compareTo(o) < 0;
  }

  @Override
  public String toString() {
    return epoch + "/" + nodeId;
  }
}
