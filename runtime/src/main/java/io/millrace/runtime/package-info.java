/**
 * The {@code millrace} launcher: subcommands ({@code broker}, {@code topics}, ...), config
 * loading, the metrics and health HTTP endpoints, and the fat jar.
 */
package io.millrace.runtime;
