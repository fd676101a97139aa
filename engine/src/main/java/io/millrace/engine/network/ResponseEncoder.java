package io.millrace.engine.network;

import io.millrace.engine.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Encodes a {@link Response.Reply} as the parts of one frame, in order:
 *
 * <pre>
 *   [size, header, body up to records] [records 1] [body ...] [records 2] ... [body rest]
 *    heap bytes                         file region or wrapped buffer
 * </pre>
 *
 * The header and body are written by kafka-clients' generated code into one exact-size heap
 * buffer; every records field becomes its own part instead of being copied: a {@link FileRecords}
 * slice is a {@link RecordsFileRegion} (sendfile), a {@link MemoryRecords} is wrapped as it is.
 * Stateless and thread-safe.
 */
final class ResponseEncoder {

  private final LongAdder zeroCopyBytes;

  ResponseEncoder(LongAdder zeroCopyBytes) {
    this.zeroCopyBytes = zeroCopyBytes;
  }

  /** The frame's parts; the caller writes them in order and owns their references. */
  List<Object> encode(Response.Reply reply) {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int headerSize = reply.header().size(cache, reply.headerVersion());
    MessageSizeAccumulator bodySize = new MessageSizeAccumulator();
    reply.body().addSize(bodySize, cache, reply.version());
    ByteBuffer heap = ByteBuffer.allocate(4 + headerSize + bodySize.sizeExcludingZeroCopy());
    SplittingWriter writer = new SplittingWriter(new ByteBufferAccessor(heap));
    writer.writeInt(headerSize + bodySize.totalSize());
    reply.header().write(writer, cache, reply.headerVersion());
    reply.body().write(writer, cache, reply.version());
    if (heap.hasRemaining()) {
      throw new IllegalStateException("encoded " + heap.position() + " of " + heap.capacity()
          + " heap bytes for " + reply.body().getClass().getSimpleName() + " v" + reply.version());
    }
    return writer.parts(heap);
  }

  /** Writes through to a heap buffer, remembering where each records field cuts in. */
  private final class SplittingWriter implements Writable {
    private final ByteBufferAccessor heap;
    private final List<Integer> cuts = new ArrayList<>();
    private final List<Object> records = new ArrayList<>();

    SplittingWriter(ByteBufferAccessor heap) {
      this.heap = heap;
    }

    List<Object> parts(ByteBuffer buffer) {
      ByteBuf bytes = Unpooled.wrappedBuffer(buffer.array(), 0, buffer.position());
      List<Object> parts = new ArrayList<>(2 * cuts.size() + 1);
      int from = 0;
      for (int i = 0; i < cuts.size(); i++) {
        int cut = cuts.get(i);
        if (cut > from) {
          parts.add(bytes.retainedSlice(from, cut - from));
        }
        parts.add(records.get(i));
        from = cut;
      }
      if (buffer.position() > from) {
        parts.add(bytes.retainedSlice(from, buffer.position() - from));
      }
      bytes.release();
      return parts;
    }

    @Override
    public void writeRecords(BaseRecords r) {
      if (r.sizeInBytes() == 0) {
        return;
      }
      Object part;
      if (r instanceof FileRecords file) {
        part = new RecordsFileRegion(file, zeroCopyBytes);
      } else if (r instanceof MemoryRecords memory) {
        part = Unpooled.wrappedBuffer(memory.buffer().duplicate());
      } else {
        throw new IllegalArgumentException("cannot send records of type " + r.getClass().getName());
      }
      cuts.add(heap.buffer().position());
      records.add(part);
    }

    @Override public void writeByte(byte val) { heap.writeByte(val); }
    @Override public void writeShort(short val) { heap.writeShort(val); }
    @Override public void writeInt(int val) { heap.writeInt(val); }
    @Override public void writeLong(long val) { heap.writeLong(val); }
    @Override public void writeDouble(double val) { heap.writeDouble(val); }
    @Override public void writeByteArray(byte[] arr) { heap.writeByteArray(arr); }
    @Override public void writeUnsignedVarint(int i) { heap.writeUnsignedVarint(i); }
    @Override public void writeByteBuffer(ByteBuffer buf) { heap.writeByteBuffer(buf); }
    @Override public void writeVarint(int i) { heap.writeVarint(i); }
    @Override public void writeVarlong(long i) { heap.writeVarlong(i); }
  }
}
