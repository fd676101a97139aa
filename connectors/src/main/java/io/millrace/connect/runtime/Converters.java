package io.millrace.connect.runtime;

import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/** The key, value and header converters of one task. */
public record Converters(Converter key, Converter value, HeaderConverter header)
    implements AutoCloseable {
  @Override
  public void close() {
    try {
      key.close();
      value.close();
      header.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
