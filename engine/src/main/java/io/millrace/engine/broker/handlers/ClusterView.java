package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.BrokerRegistration;
import io.millrace.engine.metadata.Endpoint;
import io.millrace.engine.metadata.MetadataImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The brokers of an image as clients on one listener see them. */
final class ClusterView {

  /** A broker's address on a listener. */
  record Node(int id, String host, int port, String rack) {}

  private ClusterView() {}

  /** Live brokers that have an endpoint for {@code listenerName}, by id. */
  static List<Node> nodes(MetadataImage image, String listenerName) {
    List<Node> out = new ArrayList<>();
    for (BrokerRegistration b : image.brokers().values()) {
      if (b.fenced()) {
        // Gone (stopped, crashed, cut off): clients would only time out connecting to it.
        continue;
      }
      Optional<Endpoint> e = b.endpoint(listenerName);
      e.ifPresent(ep -> out.add(new Node(b.id(), ep.host(), ep.port(), b.rack().orElse(null))));
    }
    return out;
  }
}
