/**
 * What the built-in connectors share: {@link io.millrace.connect.builtin.BuiltInSourceConnector}
 * and {@link io.millrace.connect.builtin.BuiltInSinkConnector} (version, config definition
 * checked at start, task configs by a {@link io.millrace.connect.builtin.TaskSplit}).
 */
package io.millrace.connect.builtin;
