package io.millrace.streams.state;

import org.apache.kafka.common.utils.Bytes;

/**
 * Supplies the innermost (bytes) layer of a key-value store.
 *
 * <p>Threading: configured on the thread that builds the topology; {@code build()} is then called
 * on stream threads, once per task, and must return a new store each time.
 */
public interface KeyValueBytesStoreSupplier {

  String name();

  KeyValueStore<Bytes, byte[]> get();
}
