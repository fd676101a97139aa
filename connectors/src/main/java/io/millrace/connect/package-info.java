/**
 * The Millrace connector runtime: the source and sink connector SPI, workers, a REST API shaped
 * like Kafka Connect's, and the built-in file, JDBC, HTTP and PostgreSQL change-capture
 * connectors. It talks to the broker only through kafka-clients. Arrives with the connector issue.
 */
package io.millrace.connect;
