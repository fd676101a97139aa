package io.millrace.engine.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the inbound byte stream into Kafka request frames.
 *
 * <pre>
 *   +-----------------+--------------------------------------+
 *   | size: int32 (BE)| request header + body: size bytes    |
 *   +-----------------+--------------------------------------+
 * </pre>
 *
 * Emits each frame (without the size) as a retained slice that the receiver releases. A size
 * below zero or above the limit closes the connection with a log line: a client that sends one
 * is broken or hostile, and nothing after it on the stream can be trusted.
 */
final class FrameDecoder extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

  private final int maxFrameBytes;
  private final String connectionId;
  private boolean failed;

  FrameDecoder(int maxFrameBytes, String connectionId) {
    this.maxFrameBytes = maxFrameBytes;
    this.connectionId = connectionId;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= 4) {
      int size = in.getInt(in.readerIndex());
      if (size < 0 || size > maxFrameBytes) {
        failed = true;
        log.warn("Closing connection {}: request frame of {} bytes is outside 0..{} (socket.request.max.bytes)",
            connectionId, size, maxFrameBytes);
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
      if (in.readableBytes() < 4 + size) {
        return;
      }
      in.skipBytes(4);
      out.add(in.readRetainedSlice(size));
    }
  }
}
