package io.millrace.streams.internals;

import java.util.Map;

/**
 * A serde built by the DSL around a serde that may be the application's default, which is only
 * known when the topology runs: the runtime hands it the configuration before first use.
 *
 * <p>Threading: configured once, before the first use on a stream thread; afterwards as thread-safe
 * as the serdes it wraps.
 */
public interface DefaultSerdeAware {
  void useDefaults(Map<String, ?> configs);
}
