package io.millrace.streams.state;

import org.apache.kafka.common.utils.Bytes;

/** Supplies the innermost (bytes) layer of a key-value store. */
public interface KeyValueBytesStoreSupplier {

  String name();

  KeyValueStore<Bytes, byte[]> get();
}
