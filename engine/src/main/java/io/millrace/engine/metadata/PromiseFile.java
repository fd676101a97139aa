package io.millrace.engine.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * The highest controller ballot this broker has promised to follow, in
 * {@code millrace-metadata-promise} beside the metadata image:
 *
 * <pre>
 *   millrace-promise epoch=E node=N crc32c=C\n      C: CRC32C of "epoch=E node=N"
 * </pre>
 *
 * Written (temp file, fsync, rename) before the promise is answered, so a broker that restarts
 * never goes back on it. A damaged file stops the broker: forgetting a promise could let two
 * controllers both store a change.
 *
 * <p>Blocking; not thread-safe (the acceptor calls it serially).
 */
final class PromiseFile {

  static final String FILE_NAME = "millrace-metadata-promise";

  private final Path file;
  private final Path tmp;

  PromiseFile(Path logDir) {
    this.file = logDir.resolve(FILE_NAME);
    this.tmp = logDir.resolve(FILE_NAME + ".tmp");
  }

  /** The stored promise, or {@link Ballot#NONE}. */
  Ballot load() throws IOException {
    Files.deleteIfExists(tmp);
    if (!Files.exists(file)) {
      return Ballot.NONE;
    }
    String line = Files.readString(file, StandardCharsets.UTF_8).trim();
    String[] words = line.split(" ");
    try {
      if (words.length != 4 || !words[0].equals("millrace-promise") || !words[1].startsWith("epoch=")
          || !words[2].startsWith("node=") || !words[3].startsWith("crc32c=")) {
        throw new IllegalArgumentException("unexpected layout");
      }
      String body = words[1] + " " + words[2];
      if (crc(body) != Long.parseLong(words[3].substring(7))) {
        throw new IllegalArgumentException("checksum mismatch");
      }
      return new Ballot(Long.parseLong(words[1].substring(6)), Integer.parseInt(words[2].substring(5)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("metadata promise file " + file + " is damaged (" + e.getMessage() + "): '"
          + line + "'; restore it, or remove it only if every broker of the cluster is stopped");
    }
  }

  void write(Ballot promise) {
    String body = "epoch=" + promise.epoch() + " node=" + promise.nodeId();
    byte[] bytes = ("millrace-promise " + body + " crc32c=" + crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(tmp, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new KafkaStorageException("cannot write the metadata promise " + promise + " to " + file, e);
    }
  }

  private static long crc(String body) {
    CRC32C crc = new CRC32C();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
