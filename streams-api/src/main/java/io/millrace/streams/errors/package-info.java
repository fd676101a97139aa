/**
 * Errors and the handlers that decide about them: deserialization (fail, continue, dead-letter
 * topic), production, and uncaught exceptions of stream threads (replace the thread, shut down
 * the client or the whole application).
 */
package io.millrace.streams.errors;
