/** The DSL's logical graph (what the builder records) and its optimisation, written into a physical topology. Not API. */
package io.millrace.streams.internals.graph;
