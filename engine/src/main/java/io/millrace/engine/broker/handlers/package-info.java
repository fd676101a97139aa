/**
 * One {@link io.millrace.engine.protocol.ApiHandler} per Kafka API the broker serves. Each class
 * declares its version range and turns a request into controller calls or partition reads and
 * writes; none of them blocks its event loop. They are registered in one place,
 * {@link io.millrace.engine.broker.BrokerApis}.
 */
package io.millrace.engine.broker.handlers;
