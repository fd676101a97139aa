package io.millrace.engine.metadata;

import java.util.List;
import java.util.Optional;

/**
 * A broker as the cluster knows it.
 *
 * @param id {@code node.id}
 * @param endpoints advertised endpoints, one per listener
 * @param rack {@code broker.rack}, if set
 */
public record BrokerRegistration(int id, List<Endpoint> endpoints, Optional<String> rack) {
  public BrokerRegistration {
    endpoints = List.copyOf(endpoints);
  }

  /** The endpoint for this listener name, if the broker has one. */
  public Optional<Endpoint> endpoint(String listenerName) {
    return endpoints.stream().filter(e -> e.listenerName().equals(listenerName)).findFirst();
  }
}
