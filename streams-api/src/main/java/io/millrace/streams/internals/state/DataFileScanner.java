package io.millrace.streams.internals.state;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.apache.kafka.common.utils.Bytes;

/** Reads a {@link LogStructuredKeyValueStore} data file from the start, validating each entry. */
final class DataFileScanner {
  private DataFileScanner() {}

  /** Receives each valid entry; {@code valueLength} is -1 for a deletion. */
  interface EntryConsumer {
    void accept(Bytes key, long valuePosition, int valueLength, int entryBytes);
  }

  /**
   * @param validBytes length of the valid prefix of the file
   * @param reason why scanning stopped before the end, or null if the whole file is valid
   */
  record Result(long validBytes, String reason) {}

  static Result scan(Path file, EntryConsumer consumer) throws IOException {
    long size = Files.size(file);
    long pos = 0;
    CRC32C crc = new CRC32C();
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 256 * 1024))) {
      while (pos < size) {
        if (size - pos < LogStructuredKeyValueStore.HEADER_BYTES) {
          return new Result(pos, "partial entry header");
        }
        int storedCrc = in.readInt();
        int keyLength = in.readInt();
        int valueLength = in.readInt();
        long remaining = size - pos - LogStructuredKeyValueStore.HEADER_BYTES;
        if (keyLength < 0 || valueLength < -1 || keyLength + (long) Math.max(0, valueLength) > remaining) {
          return new Result(pos, "entry lengths " + keyLength + "/" + valueLength + " exceed the file");
        }
        byte[] key = new byte[keyLength];
        byte[] value = new byte[Math.max(0, valueLength)];
        try {
          in.readFully(key);
          in.readFully(value);
        } catch (EOFException e) {
          return new Result(pos, "file shorter than its entries");
        }
        crc.reset();
        crc.update(intBytes(keyLength));
        crc.update(intBytes(valueLength));
        crc.update(key);
        crc.update(value);
        if ((int) crc.getValue() != storedCrc) {
          return new Result(pos, "CRC mismatch");
        }
        int entryBytes = LogStructuredKeyValueStore.HEADER_BYTES + keyLength + value.length;
        consumer.accept(
            Bytes.wrap(key),
            pos + LogStructuredKeyValueStore.HEADER_BYTES + keyLength,
            valueLength,
            entryBytes);
        pos += entryBytes;
      }
    }
    return new Result(pos, null);
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
