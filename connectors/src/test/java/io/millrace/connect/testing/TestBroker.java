package io.millrace.connect.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Assumptions;

/**
 * The broker integration tests talk to: Millrace's {@code EmbeddedBroker} (engine, on an
 * ephemeral port in a temp dir). {@code -Dconnect.it.bootstrap=host:port} points the tests at
 * an already running Kafka-protocol broker instead, to compare against Apache Kafka.
 */
public final class TestBroker implements AutoCloseable {
  private final Object embedded;
  private final String bootstrap;

  private TestBroker(Object embedded, String bootstrap) {
    this.embedded = embedded;
    this.bootstrap = bootstrap;
  }

  public static TestBroker start() {
    String external = System.getProperty("connect.it.bootstrap");
    if (external != null && !external.isBlank()) {
      return new TestBroker(null, external);
    }
    Class<?> cls;
    try {
      cls = Class.forName("io.millrace.engine.EmbeddedBroker");
    } catch (ClassNotFoundException e) {
      Assumptions.abort("io.millrace.engine.EmbeddedBroker is not built yet and "
          + "-Dconnect.it.bootstrap is not set");
      throw new IllegalStateException(e);
    }
    try {
      Object broker = startEmbedded(cls);
      Method bs = cls.getMethod("bootstrapServers");
      return new TestBroker(broker, (String) bs.invoke(broker));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start EmbeddedBroker", e);
    }
  }

  private static Object startEmbedded(Class<?> cls) throws ReflectiveOperationException {
    for (String factory : new String[] {"start", "create"}) {
      try {
        return cls.getMethod(factory).invoke(null);
      } catch (NoSuchMethodException e) {
        // try the next shape
      }
    }
    return cls.getConstructor().newInstance();
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  @Override
  public void close() {
    if (embedded instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
