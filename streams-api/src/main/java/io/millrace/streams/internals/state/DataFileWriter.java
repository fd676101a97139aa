package io.millrace.streams.internals.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/** Appends entries in the {@link LogStructuredKeyValueStore} layout through a write buffer. */
final class DataFileWriter {
  private static final int BUFFER_BYTES = 256 * 1024;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private long position;

  DataFileWriter(FileChannel channel, long position) {
    this.channel = channel;
    this.position = position;
  }

  /** Buffers one entry; returns the file position its value will have. */
  long append(byte[] key, byte[] value) {
    int valueLength = value == null ? -1 : value.length;
    int entryBytes = LogStructuredKeyValueStore.HEADER_BYTES + key.length + Math.max(0, valueLength);
    if (buffer.remaining() < entryBytes) {
      drain();
      if (buffer.capacity() < entryBytes) {
        buffer = ByteBuffer.allocate(entryBytes);
      }
    }
    int start = buffer.position();
    buffer.putInt(0).putInt(key.length).putInt(valueLength).put(key);
    if (value != null) {
      buffer.put(value);
    }
    crc.reset();
    crc.update(buffer.array(), start + 4, entryBytes - 4);
    buffer.putInt(start, (int) crc.getValue());
    long valuePosition = position + LogStructuredKeyValueStore.HEADER_BYTES + key.length;
    position += entryBytes;
    return valuePosition;
  }

  /** Writes everything buffered. */
  void finish() {
    drain();
  }

  long position() {
    return position;
  }

  private void drain() {
    buffer.flip();
    long writeAt = position - buffer.remaining();
    try {
      while (buffer.hasRemaining()) {
        writeAt += channel.write(buffer, writeAt);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write store data file", e);
    }
    buffer.clear();
  }
}
