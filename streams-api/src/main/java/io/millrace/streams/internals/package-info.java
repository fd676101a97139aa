/** Implementation of the Streams API; nothing here is API. */
package io.millrace.streams.internals;
