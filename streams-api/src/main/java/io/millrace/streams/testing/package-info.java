/** The test driver: runs a topology without a broker, for unit tests. */
package io.millrace.streams.testing;
