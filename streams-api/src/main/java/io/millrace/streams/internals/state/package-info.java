/** Store implementations: in-memory and log-structured bytes stores, time segments, change tracking (changelog and record cache), typed layers and query views. Not API. */
package io.millrace.streams.internals.state;
