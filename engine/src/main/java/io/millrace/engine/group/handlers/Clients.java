package io.millrace.engine.group.handlers;

import io.millrace.engine.group.state.RequestMeta;
import io.millrace.engine.protocol.ApiRequest;
import java.net.InetSocketAddress;
import org.apache.kafka.common.protocol.Errors;

/** Small helpers shared by the group handlers. */
final class Clients {

    private Clients() {
    }

    /** Version, client id and client host ({@code /address}, as Kafka shows it) of a request. */
    static RequestMeta meta(ApiRequest<?> request) {
        InetSocketAddress remote = request.connection().remoteAddress();
        String host = remote == null ? "" : "/" + (remote.getAddress() != null
                ? remote.getAddress().getHostAddress() : remote.getHostString());
        String clientId = request.header().clientId();
        return new RequestMeta(request.version(), clientId == null ? "" : clientId, host);
    }

    /** The wire error for a failed coordinator call. */
    static Errors error(Throwable failure) {
        Errors error = Errors.forException(failure);
        return error == Errors.NONE ? Errors.UNKNOWN_SERVER_ERROR : error;
    }
}
