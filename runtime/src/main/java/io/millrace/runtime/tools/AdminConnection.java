package io.millrace.runtime.tools;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/** Opens the Admin client a tool uses, after checking that the broker can be reached at all. */
public final class AdminConnection {

  /** The reachability probe waits at most this long per address. */
  static final int PROBE_TIMEOUT_MS = 5_000;

  private AdminConnection() {}

  /**
   * An Admin client for these servers with the tools' bounded timeouts under the user's overrides.
   *
   * @throws ToolException when no bootstrap server accepts connections or a client config is invalid
   */
  public static Admin open(String bootstrapServers, String clientId, Map<String, String> overrides) {
    Properties props = ClientProperties.admin(bootstrapServers, clientId, overrides);
    BrokerReachability.check(bootstrapServers, Math.min(PROBE_TIMEOUT_MS, ClientProperties.requestTimeoutMs(props)));
    try {
      return Admin.create(props);
    } catch (KafkaException e) {
      throw new ToolException("cannot create the admin client: " + KafkaFailures.message(KafkaFailures.unwrap(e)), e);
    }
  }
}
