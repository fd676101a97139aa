/** Tasks and what runs inside them: nodes, the processor context, record queues, punctuation, store management and checkpoints. Not API. */
package io.millrace.streams.internals.processor;
