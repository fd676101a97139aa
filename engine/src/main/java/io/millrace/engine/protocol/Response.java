package io.millrace.engine.protocol;

import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * What the broker sends back for one request frame: a response, or nothing (Produce with
 * acks=0). The network layer encodes a {@link Reply} as {@code length, header, body}.
 */
public sealed interface Response permits Response.Reply, Response.NoReply {

  /** A response header and body with the versions to encode them in. */
  record Reply(ResponseHeaderData header, short headerVersion, ApiMessage body, short version)
      implements Response {}

  /** No bytes go back for this request, but it still holds its place in the response order. */
  record NoReply() implements Response {}

  NoReply NONE = new NoReply();
}
