/**
 * The DSL: streams, tables, grouped and windowed streams, and the options of their operators.
 */
package io.millrace.streams.kstream;
