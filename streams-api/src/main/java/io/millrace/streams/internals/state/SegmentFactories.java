package io.millrace.streams.internals.state;

import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.state.KeyValueStore;
import java.io.File;
import org.apache.kafka.common.utils.Bytes;

/** Segment stores in memory or on disk ({@code <store dir>/<store>.<segment start ms>/}). */
final class SegmentFactories {
  private SegmentFactories() {}

  static Segments.Factory inMemory(String storeName) {
    return new Segments.Factory() {
      @Override
      public KeyValueStore<Bytes, byte[]> open(long segmentId, long startMs) {
        InMemoryKeyValueBytesStore s = new InMemoryKeyValueBytesStore(storeName + "." + startMs);
        s.open();
        return s;
      }

      @Override
      public void destroy(KeyValueStore<Bytes, byte[]> segment) {
        segment.close();
      }
    };
  }

  static Segments.Factory onDisk(String storeName, File storeDir) {
    return new Segments.Factory() {
      @Override
      public KeyValueStore<Bytes, byte[]> open(long segmentId, long startMs) {
        String segmentName = storeName + "." + startMs;
        LogStructuredKeyValueStore s =
            new LogStructuredKeyValueStore(segmentName, new File(storeDir, segmentName));
        s.open();
        return s;
      }

      @Override
      public void destroy(KeyValueStore<Bytes, byte[]> segment) {
        ((LogStructuredKeyValueStore) segment).destroy();
      }
    };
  }

  /** Opens the segments a persistent store left on disk. */
  static void openExisting(String storeName, File storeDir, Segments segments, long intervalMs) {
    File[] dirs = storeDir.listFiles(File::isDirectory);
    if (dirs == null) {
      return;
    }
    String prefix = storeName + ".";
    for (File d : dirs) {
      if (!d.getName().startsWith(prefix)) {
        continue;
      }
      long startMs;
      try {
        startMs = Long.parseLong(d.getName().substring(prefix.length()));
      } catch (NumberFormatException e) {
        throw new StreamsException(
            "Store " + storeName + ": unexpected directory " + d + " among its segments");
      }
      LogStructuredKeyValueStore s = new LogStructuredKeyValueStore(d.getName(), d);
      s.open();
      segments.addExisting(startMs / intervalMs, s);
    }
  }
}
