/**
 * State stores: key-value, window and session stores, in memory or persistent on local disk,
 * each backed by a compacted changelog topic; {@link io.millrace.streams.state.Stores} makes
 * them, {@link io.millrace.streams.state.QueryableStoreTypes} queries them from the application.
 */
package io.millrace.streams.state;
