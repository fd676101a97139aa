package io.millrace.engine.metadata;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A broker as the cluster knows it.
 *
 * @param id {@code node.id}
 * @param endpoints advertised endpoints, one per listener
 * @param rack {@code broker.rack}, if set
 * @param fenced true while the controller considers the broker gone (stopped, crashed, cut off or
 *     shutting down): it leads nothing, is in no ISR it could leave, and clients are not told of it
 * @param incarnation which run of the broker registered (its cluster member id; empty on a single
 *     node): a broker that restarts registers again with another, and the controller treats its
 *     old run as failed
 */
public record BrokerRegistration(int id, List<Endpoint> endpoints, Optional<String> rack, boolean fenced,
    String incarnation) {
  public BrokerRegistration {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(rack, "rack");
    Objects.requireNonNull(incarnation, "incarnation");
  }

  /** An unfenced broker of a single node (no incarnation). */
  public BrokerRegistration(int id, List<Endpoint> endpoints, Optional<String> rack) {
    this(id, endpoints, rack, false, "");
  }

  /** The endpoint for this listener name, if the broker has one. */
  public Optional<Endpoint> endpoint(String listenerName) {
    return endpoints.stream().filter(e -> e.listenerName().equals(listenerName)).findFirst();
  }

  public BrokerRegistration withFenced(boolean isFenced) {
    return new BrokerRegistration(id, endpoints, rack, isFenced, incarnation);
  }
}
