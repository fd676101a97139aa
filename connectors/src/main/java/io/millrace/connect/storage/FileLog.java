package io.millrace.connect.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link KeyValueLog} kept in one JSON file (standalone mode): the latest value of each key,
 * base64 encoded. Every write rewrites the file to a temporary one, syncs it and renames it over
 * the old one, so a crash leaves either the old or the new file, never half of one.
 *
 * <p>Thread-safe: writes and deliveries are serialised on this object's monitor; the listener
 * runs on the writer's thread.
 */
public final class FileLog implements KeyValueLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Map<String, String> entries = new LinkedHashMap<>();
  private Listener listener;

  public FileLog(Path file) {
    this.file = file;
  }

  @Override
  public synchronized CompletableFuture<Void> start(Listener listener) {
    this.listener = listener;
    try {
      if (Files.exists(file)) {
        @SuppressWarnings("unchecked")
        Map<String, String> stored = JSON.readValue(file.toFile(), LinkedHashMap.class);
        entries.putAll(stored);
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new IOException("cannot read " + file + ": " + e.getMessage(), e));
    }
    Base64.Decoder dec = Base64.getDecoder();
    entries.forEach((k, v) -> listener.onRecord(dec.decode(k), dec.decode(v)));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Void> send(byte[] key, byte[] value) {
    Base64.Encoder enc = Base64.getEncoder();
    String k = enc.encodeToString(key);
    String previous = entries.get(k);
    if (value == null) {
      entries.remove(k);
    } else {
      entries.put(k, enc.encodeToString(value));
    }
    try {
      persist();
    } catch (IOException | UncheckedIOException e) {
      if (previous == null) {
        entries.remove(k);
      } else {
        entries.put(k, previous);
      }
      return CompletableFuture.failedFuture(e);
    }
    if (listener != null) {
      listener.onRecord(key, value);
    }
    return CompletableFuture.completedFuture(null);
  }

  private void persist() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(entries));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public CompletableFuture<Void> readToEnd() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
