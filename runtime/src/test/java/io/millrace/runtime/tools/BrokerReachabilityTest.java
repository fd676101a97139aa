package io.millrace.runtime.tools;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class BrokerReachabilityTest {

  @Test
  void aListeningAddressPassesEvenAfterADeadOne() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String servers = FreePort.closedAddress() + ",127.0.0.1:" + listening.getLocalPort();
      assertThatCode(() -> BrokerReachability.check(servers, 1000)).doesNotThrowAnyException();
    }
  }

  @Test
  void everyAddressIsNamedWithItsProblem() {
    String closed = FreePort.closedAddress();
    assertThatThrownBy(() -> BrokerReachability.check(closed + ",no-such-host.invalid:9092", 1000))
        .isInstanceOf(ToolException.class)
        .hasMessageStartingWith("cannot connect to the broker at " + closed + ",no-such-host.invalid:9092 ("
            + closed + " (127.0.0.1): connection refused; no-such-host.invalid:9092: unknown host)");
  }

  @Test
  void malformedAddressesAreRefused() {
    assertThatThrownBy(() -> BrokerReachability.check("localhost", 1000))
        .hasMessage("invalid bootstrap server 'localhost': expected HOST:PORT");
    assertThatThrownBy(() -> BrokerReachability.check(" , ", 1000))
        .hasMessage("no bootstrap server given: use --bootstrap-server HOST:PORT");
  }
}
