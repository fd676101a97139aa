package io.millrace.connect.converters;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * Passes bytes through unchanged, as Kafka Connect's {@code
 * org.apache.kafka.connect.converters.ByteArrayConverter} does (that name is an alias of this
 * class): values are {@code OPTIONAL_BYTES}; a non-bytes value is an error.
 */
public final class ByteArrayConverter implements Converter, HeaderConverter {
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public ConfigDef config() {
    return new ConfigDef();
  }

  @Override
  public byte[] fromConnectData(String topic, Schema schema, Object value) {
    if (schema != null && schema.type() != Schema.Type.BYTES) {
      throw new DataException("ByteArrayConverter needs a BYTES schema, not " + schema.type());
    }
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof ByteBuffer buf) {
      byte[] out = new byte[buf.remaining()];
      buf.duplicate().get(out);
      return out;
    }
    throw new DataException("ByteArrayConverter needs byte[] or ByteBuffer, not "
        + value.getClass().getName());
  }

  @Override
  public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
    return fromConnectData(topic, schema, value);
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte[] value) {
    return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, value);
  }

  @Override
  public SchemaAndValue toConnectHeader(String topic, String headerKey, byte[] value) {
    return toConnectData(topic, value);
  }

  @Override
  public byte[] fromConnectHeader(String topic, String headerKey, Schema schema, Object value) {
    return fromConnectData(topic, schema, value);
  }

  @Override
  public String version() {
    return io.millrace.connect.Version.get();
  }

  @Override
  public void close() {}
}
