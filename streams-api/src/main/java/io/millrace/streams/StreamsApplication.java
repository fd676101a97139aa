package io.millrace.streams;

import java.util.Properties;

/**
 * A streams application packaged for {@code bin/millrace streams run <class>}: its configuration
 * defaults and its topology. Implementations need a public no-argument constructor.
 *
 * <pre>{@code
 * public final class WordCount implements StreamsApplication {
 *   public Properties defaults() {
 *     Properties p = new Properties();
 *     p.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-wordcount");
 *     return p;
 *   }
 *
 *   public Topology topology(Properties config) {
 *     StreamsBuilder builder = new StreamsBuilder();
 *     ...
 *     return builder.build(config);
 *   }
 * }
 * }</pre>
 *
 * <p>The command line's settings ({@code --bootstrap-server}, {@code --config}, ...) override
 * the defaults; the topology is built from the result.
 *
 * <p>Threading: {@code topology(...)} is called once, on the thread that starts the application,
 * before any stream thread runs.
 */
public interface StreamsApplication {

  /** Defaults such as {@code application.id} and serdes; none by default. */
  default Properties defaults() {
    return new Properties();
  }

  /** The topology to run, for the final configuration. */
  Topology topology(Properties config);
}
