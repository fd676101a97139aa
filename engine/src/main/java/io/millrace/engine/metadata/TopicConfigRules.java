package io.millrace.engine.metadata;

import java.util.Map;

/**
 * What the controller needs to know about topic configs: whether a set of overrides is valid,
 * and which keys hold lists (IncrementalAlterConfigs APPEND and SUBTRACT apply only to those).
 * The broker supplies it from the log's config definition.
 */
public interface TopicConfigRules {

  /**
   * Checks a topic's complete set of overrides.
   *
   * @return null when valid, else a message naming the offending key and value
   */
  String validate(Map<String, String> overrides);

  /** The value a topic has for {@code key} without an override (broker default, else Kafka's), or null. */
  String defaultValue(String key);

  /** True for keys whose value is a comma-separated list ({@code cleanup.policy}). */
  boolean isList(String key);
}
