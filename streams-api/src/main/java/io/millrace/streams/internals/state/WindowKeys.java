package io.millrace.streams.internals.state;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of window stores, as they are stored and logged:
 *
 * <pre>
 * +-----------------+--------------------------+----------------+
 * | key bytes       | window start (ms, int64) | seqnum (int32) |
 * +-----------------+--------------------------+----------------+
 * </pre>
 *
 * The seqnum is 0 unless the store retains duplicates. Big-endian non-negative numbers sort in
 * numeric order, so one key's windows are contiguous and in time order.
 *
 * <p>Stateless; thread-safe.
 */
public final class WindowKeys {
  static final int SUFFIX = 12;

  private WindowKeys() {}

  public static Bytes toStoreKey(byte[] key, long windowStart, int seqnum) {
    return Bytes.wrap(
        ByteBuffer.allocate(key.length + SUFFIX).put(key).putLong(windowStart).putInt(seqnum).array());
  }

  public static byte[] key(byte[] storeKey) {
    byte[] k = new byte[storeKey.length - SUFFIX];
    System.arraycopy(storeKey, 0, k, 0, k.length);
    return k;
  }

  public static long windowStart(byte[] storeKey) {
    return ByteBuffer.wrap(storeKey).getLong(storeKey.length - SUFFIX);
  }

  static boolean valid(byte[] storeKey) {
    return storeKey.length >= SUFFIX;
  }

  static Bytes lower(byte[] key, long from) {
    return toStoreKey(key, Math.max(0, from), 0);
  }

  static Bytes upper(byte[] key, long to) {
    return toStoreKey(key, to, -1);
  }
}
