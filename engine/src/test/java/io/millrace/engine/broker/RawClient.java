package io.millrace.engine.broker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/** A bare Kafka-protocol connection: frames built with kafka-clients' classes, written as raw bytes. */
public final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int correlationId;

  public RawClient(String hostPort) throws IOException {
    String[] hp = hostPort.split(":");
    socket = new Socket(hp[0], Integer.parseInt(hp[1]));
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** The frame (with its length prefix) of {@code request} at its version. */
  ByteBuffer frame(AbstractRequest request) {
    RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-client", ++correlationId);
    ByteBuffer body = request.serializeWithHeader(header);
    return ByteBuffer.allocate(4 + body.remaining()).putInt(body.remaining()).put(body).flip();
  }

  /** The frame of a request body given as its message data. */
  public ByteBuffer frame(ApiKeys api, short version, org.apache.kafka.common.protocol.ApiMessage data) {
    RequestHeader header = new RequestHeader(api, version, "raw-client", ++correlationId);
    ByteBuffer bytes = org.apache.kafka.common.requests.RequestUtils.serialize(header.data(), header.headerVersion(),
        data, version);
    return ByteBuffer.allocate(4 + bytes.remaining()).putInt(bytes.remaining()).put(bytes).flip();
  }

  /** Sends message data at a version and parses the answer. */
  public AbstractResponse roundTrip(ApiKeys api, short version, org.apache.kafka.common.protocol.ApiMessage data)
      throws IOException {
    send(frame(api, version, data));
    return parse(receive(), api, version);
  }

  public void send(ByteBuffer frame) throws IOException {
    byte[] bytes = new byte[frame.remaining()];
    frame.duplicate().get(bytes);
    out.write(bytes);
    out.flush();
  }

  /** Sends raw bytes as they are. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next response frame, without its length. */
  public ByteBuffer receive() throws IOException {
    int size = in.readInt();
    byte[] bytes = new byte[size];
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes);
  }

  /** Sends and parses the answer. */
  AbstractResponse roundTrip(AbstractRequest request) throws IOException {
    send(frame(request));
    return parse(receive(), request.apiKey(), request.version());
  }

  public static AbstractResponse parse(ByteBuffer frame, ApiKeys api, short version) {
    ResponseHeader.parse(frame, api.responseHeaderVersion(version));
    return AbstractResponse.parseResponse(api, new ByteBufferAccessor(frame), version);
  }

  int lastCorrelationId() {
    return correlationId;
  }

  /** True when the broker has closed the connection (reads end of stream within the timeout). */
  boolean closedByBroker() throws IOException {
    try {
      while (true) {
        int size = in.readInt();
        in.skipNBytes(size);
      }
    } catch (EOFException e) {
      return true;
    } catch (java.net.SocketException e) {
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
