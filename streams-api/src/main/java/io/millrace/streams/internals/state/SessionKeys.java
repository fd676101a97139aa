package io.millrace.streams.internals.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of session stores, as stored and logged:
 *
 * <pre>
 * +-----------------+-------------------------+---------------------------+
 * | key bytes       | session end (ms, int64) | session start (ms, int64) |
 * +-----------------+-------------------------+---------------------------+
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class SessionKeys {
  static final int SUFFIX = 16;

  private SessionKeys() {}

  public static Bytes toStoreKey(byte[] key, long start, long end) {
    return Bytes.wrap(
        ByteBuffer.allocate(key.length + SUFFIX).put(key).putLong(end).putLong(start).array());
  }

  public static byte[] key(byte[] storeKey) {
    byte[] k = new byte[storeKey.length - SUFFIX];
    System.arraycopy(storeKey, 0, k, 0, k.length);
    return k;
  }

  public static long end(byte[] storeKey) {
    return ByteBuffer.wrap(storeKey).getLong(storeKey.length - SUFFIX);
  }

  public static long start(byte[] storeKey) {
    return ByteBuffer.wrap(storeKey).getLong(storeKey.length - 8);
  }

  static boolean valid(byte[] storeKey) {
    return storeKey.length >= SUFFIX;
  }
}
