package io.millrace.engine.group.state;

import java.util.Objects;

/**
 * What the state machine needs to know about a request besides its body: the API version the
 * client used (some behaviour depends on it) and who sent it.
 */
public record RequestMeta(short apiVersion, String clientId, String clientHost) {

    public RequestMeta {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientHost, "clientHost");
    }
}
