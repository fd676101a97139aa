/**
 * The Kafka wire protocol, as the broker speaks it: one {@link io.millrace.engine.protocol.ApiHandler}
 * per API declaring the versions it serves, the {@link io.millrace.engine.protocol.ApiTable} that
 * collects them (and so builds the ApiVersions answer), and the
 * {@link io.millrace.engine.protocol.RequestDispatcher} that turns a frame into a handler call
 * and a {@link io.millrace.engine.protocol.Response}. Headers and bodies are decoded and encoded
 * with kafka-clients' generated message classes; nothing here is a hand-written codec.
 */
package io.millrace.engine.protocol;
