package io.millrace.engine.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * A slice of a log segment sent with {@code FileChannel.transferTo} (sendfile on Linux), so record
 * bytes go from the page cache to the socket without passing through the heap.
 *
 * <p>Unlike Netty's {@code DefaultFileRegion}, releasing this region does not close the file
 * channel: the channel belongs to the log segment, which outlives every response.
 */
final class RecordsFileRegion extends AbstractReferenceCounted implements FileRegion {

  private final FileRecords records;
  private final long count;
  private final LongAdder zeroCopyBytes;
  private long transferred;

  RecordsFileRegion(FileRecords records, LongAdder zeroCopyBytes) {
    this.records = records;
    this.count = records.sizeInBytes();
    this.zeroCopyBytes = zeroCopyBytes;
  }

  @Override
  public long position() {
    return 0;
  }

  @Override
  @Deprecated
  public long transfered() {
    return transferred;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long transferTo(WritableByteChannel target, long position) throws IOException {
    long remaining = count - position;
    if (remaining <= 0) {
      return 0;
    }
    long written = records.writeTo(new TargetChannel(target), (int) position, (int) remaining);
    transferred += written;
    zeroCopyBytes.add(written);
    return written;
  }

  @Override
  public FileRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public FileRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public FileRegion touch() {
    return this;
  }

  @Override
  public FileRegion touch(Object hint) {
    return this;
  }

  @Override
  protected void deallocate() {
    // The segment owns the channel; nothing to free here.
  }

  /** Adapts Netty's socket channel to what {@link FileRecords#writeTo} writes into. */
  private record TargetChannel(WritableByteChannel target) implements TransferableChannel {
    @Override
    public boolean hasPendingWrites() {
      return false;
    }

    @Override
    public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
      return fileChannel.transferTo(position, count, target);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long written = 0;
      for (int i = offset; i < offset + length; i++) {
        written += target.write(srcs[i]);
      }
      return written;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return target.write(src);
    }

    @Override
    public boolean isOpen() {
      return target.isOpen();
    }

    @Override
    public void close() {
      // Netty owns the socket.
    }
  }
}
