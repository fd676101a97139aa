/** The DSL's implementation: the stream, table and grouped types, and the processors behind each operator. Not API. */
package io.millrace.streams.internals.kstream;
