/** The physical topology as declared (sources, processors, sinks, stores, internal topics) and its split into sub-topologies. Not API. */
package io.millrace.streams.internals.topology;
