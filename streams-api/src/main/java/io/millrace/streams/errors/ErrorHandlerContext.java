package io.millrace.streams.errors;

import io.millrace.streams.processor.TaskId;

/**
 * Where a failure happened, for the error handlers.
 *
 * <p>Immutable; thread-safe.
 *
 * @param topic source topic of the record being processed (null in punctuation)
 * @param partition its partition (-1 if none)
 * @param offset its offset (-1 if none)
 * @param processorNodeName the node that failed
 * @param taskId the task
 * @param timestamp the record's timestamp (-1 if none)
 */
public record ErrorHandlerContext(
    String topic,
    int partition,
    long offset,
    String processorNodeName,
    TaskId taskId,
    long timestamp) {}
