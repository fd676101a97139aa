package io.millrace.engine.metadata;

import io.millrace.engine.metadata.MetadataAcceptor.AcceptReply;
import io.millrace.engine.metadata.MetadataAcceptor.ClaimReply;
import io.millrace.engine.metadata.MetadataAcceptor.CommitReply;
import io.vertx.core.Future;
import java.util.Map;

/**
 * How the controller reaches the brokers' {@link MetadataAcceptor}s, and how it learns which
 * brokers are in the cluster. Messages may be lost, delayed or reordered; the quorum protocol
 * retries and tolerates all three. Implementations are thread-safe; futures may complete on any
 * context (the controller hops back to its own).
 */
public interface QuorumTransport {

  Future<ClaimReply> claim(int brokerId, Ballot ballot);

  Future<AcceptReply> accept(int brokerId, Ballot ballot, MetadataImage image);

  /** {@code image} is null when the broker is known to have stored it. */
  Future<CommitReply> commit(int brokerId, Ballot ballot, long version, MetadataImage image);

  /** The brokers in the cluster now: node id to incarnation (the member id of its current run). */
  Map<Integer, String> members();

  /** Registers a callback run (on any thread) whenever a member joins or leaves. */
  void onMembershipChange(Runnable callback);
}
