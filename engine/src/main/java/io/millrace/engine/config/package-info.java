/**
 * Broker configuration with Apache Kafka's key names and defaults
 * ({@link io.millrace.engine.config.BrokerConfig}), and listener parsing
 * ({@link io.millrace.engine.config.ListenerSpec}).
 */
package io.millrace.engine.config;
