package io.millrace.engine.log;

/** An index file failed its sanity check on load; the log rebuilds it from the segment. */
final class CorruptIndexException extends RuntimeException {
    CorruptIndexException(String message) {
        super(message);
    }
}
