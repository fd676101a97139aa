package io.millrace.engine.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The {@code partition.metadata} file Kafka keeps in each partition directory, naming the topic id
 * the data belongs to, so a directory left from a deleted topic is never served as a new topic
 * of the same name:
 *
 * <pre>
 *   version: 0
 *   topic_id: 2sb4Qm0jR8Cw8Bd0F1ZHeA
 * </pre>
 *
 * Blocking; written atomically (temp file, fsync, rename).
 */
final class PartitionMetadataFile {

  static final String FILE_NAME = "partition.metadata";

  private PartitionMetadataFile() {}

  /** The stored topic id, or empty if there is no file. */
  static Optional<Uuid> read(Path partitionDir) throws IOException {
    Path file = partitionDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).trim().equals("version: 0") || !lines.get(1).startsWith("topic_id: ")) {
      throw new IOException("malformed " + file + ": " + lines);
    }
    try {
      return Optional.of(Uuid.fromString(lines.get(1).substring("topic_id: ".length()).trim()));
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed topic id in " + file + ": " + lines.get(1), e);
    }
  }

  static void write(Path partitionDir, Uuid topicId) throws IOException {
    Path file = partitionDir.resolve(FILE_NAME);
    Path tmp = partitionDir.resolve(FILE_NAME + ".tmp");
    Files.write(tmp, ("version: 0\ntopic_id: " + topicId + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
