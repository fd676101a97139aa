package io.millrace.streams.internals.processor;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A partition's time in committed offset metadata, as Kafka Streams writes it: Base64 of
 * {@code [version int8 = 1][partition time int64]}. Other or missing metadata means "unknown"
 * (-1), never an error: the offset is what matters.
 */
final class PartitionTime {
  private static final byte VERSION = 1;

  private PartitionTime() {}

  static String encode(long partitionTime) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(9).put(VERSION).putLong(partitionTime).array());
  }

  static long decode(String metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return -1;
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(metadata));
      if (b.remaining() < 9 || b.get() != VERSION) {
        return -1;
      }
      return b.getLong();
    } catch (IllegalArgumentException notOurs) {
      return -1;
    }
  }
}
