/**
 * Sample topologies (word count first) and connector configs. Arrive with the Streams API and
 * connector issues.
 */
package io.millrace.samples;
