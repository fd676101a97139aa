/** The running application: stream threads in the consumer group, the task manager, the assignor, changelog restoration, internal topic creation and the state directory. Not API. */
package io.millrace.streams.internals.runtime;
