package io.millrace.streams.internals.state;

import java.util.NavigableMap;
import org.apache.kafka.common.utils.Bytes;

/** Range helpers over maps sorted by unsigned byte order. */
final class BytesRanges {
  private BytesRanges() {}

  /** The sub-map {@code from <= key <= to}; a null bound is open. */
  static <S> NavigableMap<Bytes, S> range(NavigableMap<Bytes, S> map, Bytes from, Bytes to) {
    if (from != null && to != null) {
      if (from.compareTo(to) > 0) {
        return map.subMap(from, true, from, false);
      }
      return map.subMap(from, true, to, true);
    }
    if (from != null) {
      return map.tailMap(from, true);
    }
    if (to != null) {
      return map.headMap(to, true);
    }
    return map;
  }

  /** Keys starting with {@code prefix}. */
  static <S> NavigableMap<Bytes, S> prefix(NavigableMap<Bytes, S> map, Bytes prefix) {
    Bytes upper = Bytes.increment(prefix);
    return upper == null ? map.tailMap(prefix, true) : map.subMap(prefix, true, upper, false);
  }
}
