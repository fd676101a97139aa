package io.millrace.engine.log;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log lines recovery writes, in one place so their wording stays consistent. */
final class LogRecoveryMessages {
    private static final Logger LOG = LoggerFactory.getLogger("io.millrace.engine.log.recovery");

    private LogRecoveryMessages() {
    }

    static void corruptSnapshot(Path file, Exception e) {
        LOG.warn("Deleting unreadable producer state snapshot {}: {}", file, e.getMessage());
    }

    static void corruptIndex(Path dir, long baseOffset, String reason) {
        LOG.warn("Rebuilding the indexes of segment {} in {}: {}", baseOffset, dir, reason);
    }

    static void recovered(Path dir, long fromOffset, long logEndOffset, long truncatedBytes) {
        if (truncatedBytes > 0) {
            LOG.warn("Recovered {} from offset {}: log end offset {}, {} invalid bytes truncated",
                dir.getFileName(), fromOffset, logEndOffset, truncatedBytes);
        } else {
            LOG.info("Recovered {} from offset {}: log end offset {}", dir.getFileName(), fromOffset, logEndOffset);
        }
    }
}
