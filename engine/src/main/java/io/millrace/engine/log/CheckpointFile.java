package io.millrace.engine.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * A small text checkpoint in Kafka's format, written atomically (temp file, fsync, rename,
 * fsync of the directory):
 *
 * <pre>
 * 0            version
 * 2            number of entries
 * topic 0 42   one entry per line (format given by the caller)
 * topic 1 17
 * </pre>
 *
 * Not thread-safe: each file has one owner that serialises its writes.
 */
final class CheckpointFile<T> {
    static final int VERSION = 0;

    private final Path file;
    private final Function<T, String> formatter;
    private final Function<String, T> parser;

    CheckpointFile(Path file, Function<T, String> formatter, Function<String, T> parser) {
        this.file = file;
        this.formatter = formatter;
        this.parser = parser;
    }

    /**
     * A per-partition offset checkpoint ({@code recovery-point-offset-checkpoint},
     * {@code log-start-offset-checkpoint}, {@code cleaner-offset-checkpoint}): one
     * {@code topic partition offset} line per partition.
     */
    static CheckpointFile<Map.Entry<TopicPartition, Long>> offsets(Path file) {
        return new CheckpointFile<>(file,
            e -> e.getKey().topic() + " " + e.getKey().partition() + " " + e.getValue(),
            line -> {
                String[] parts = line.split("\\s+");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected 'topic partition offset', got '" + line + "'");
                }
                return Map.entry(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            });
    }

    Path file() {
        return file;
    }

    void write(List<T> entries) throws IOException {
        write(entries, true);
    }

    /**
     * Replaces the file; with {@code durable} false, without the fsyncs: for content that the next
     * load derives again if an OS crash brings the previous file back (the rename still makes the
     * replacement atomic for readers and for a crash of the process alone).
     */
    void write(List<T> entries, boolean durable) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                 java.nio.channels.Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
            out.write(Integer.toString(VERSION));
            out.newLine();
            out.write(Integer.toString(entries.size()));
            out.newLine();
            for (T entry : entries) {
                out.write(formatter.apply(entry));
                out.newLine();
            }
            out.flush();
            if (durable) {
                channel.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (durable) {
            fsyncDirectory(file.getParent());
        }
    }

    /**
     * The entries, or an empty list if the file does not exist.
     *
     * @throws IOException if the file is malformed (the message names it and the line)
     */
    List<T> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (lines.size() < 2) {
            throw new IOException("Malformed checkpoint " + file + ": missing version or count");
        }
        try {
            int version = Integer.parseInt(lines.get(0).trim());
            if (version != VERSION) {
                throw new IOException("Unknown checkpoint version " + version + " in " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                throw new IOException("Malformed checkpoint " + file + ": " + count + " entries expected, "
                    + (lines.size() - 2) + " found");
            }
            List<T> out = new ArrayList<>(count);
            for (int i = 2; i < lines.size(); i++) {
                out.add(parser.apply(lines.get(i).trim()));
            }
            return out;
        } catch (RuntimeException e) {
            throw new IOException("Malformed checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
