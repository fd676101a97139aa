package io.millrace.streams.internals.state;

import io.millrace.streams.errors.StreamsException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data file of a {@link LogStructuredKeyValueStore} (layout there): opening it with recovery
 * (every entry validated, a torn or corrupt tail truncated), positional reads of values, appends,
 * fsync, and replacing it with a compacted copy.
 *
 * <p>Threading: one writer, the store's owner thread (appends, {@link #force}, {@link #compact},
 * {@link #close}); {@link #read} from any thread inside {@link #readLocked}, which a compaction
 * holds off only while it swaps the files.
 */
final class DataFile {
  private static final Logger log = LoggerFactory.getLogger(DataFile.class);
  static final String NAME = "data.log";

  private final String storeName;
  private final Path path;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile FileChannel channel;
  private long size;

  private DataFile(String storeName, Path path, FileChannel channel) {
    this.storeName = storeName;
    this.path = path;
    this.channel = channel;
  }

  /** Opens (creating) the file in {@code dir}, hands every valid entry to {@code entries}, truncates the rest. */
  static DataFile open(String storeName, File dir, DataFileScanner.EntryConsumer entries) {
    try {
      Files.createDirectories(dir.toPath());
      Path path = dir.toPath().resolve(NAME);
      FileChannel channel =
          FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      DataFile file = new DataFile(storeName, path, channel);
      file.recover(entries);
      return file;
    } catch (IOException e) {
      throw new StreamsException("Cannot open store " + storeName + " in " + dir, e);
    }
  }

  private void recover(DataFileScanner.EntryConsumer entries) throws IOException {
    DataFileScanner.Result result = DataFileScanner.scan(path, entries);
    size = result.validBytes();
    if (result.validBytes() < channel.size()) {
      log.warn("Store {}: truncating {} bytes of torn or corrupt data at position {} of {} ({})",
          storeName, channel.size() - result.validBytes(), result.validBytes(), path, result.reason());
      channel.truncate(result.validBytes());
      channel.force(true);
    }
  }

  /** Bytes of valid entries: where the next append goes. */
  long size() {
    return size;
  }

  /** Runs {@code read} (which calls {@link #read}) while no compaction swaps the file. */
  <T> T readLocked(Supplier<T> read) {
    lock.readLock().lock();
    try {
      return read.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The {@code length} bytes at {@code position}. */
  byte[] read(long position, int length) {
    ByteBuffer buf = ByteBuffer.allocate(length);
    try {
      long pos = position;
      while (buf.hasRemaining()) {
        int n = channel.read(buf, pos);
        if (n < 0) {
          throw new StreamsException("Store " + storeName + ": unexpected end of " + path + " at " + pos);
        }
        pos += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Store " + storeName + ": cannot read " + path, e);
    }
    return buf.array();
  }

  /** A writer appending at the end; call {@link #appended} after its {@code finish()}. */
  DataFileWriter appender() {
    return new DataFileWriter(channel, size);
  }

  void appended(DataFileWriter writer) {
    size = writer.position();
  }

  /** Makes what was written durable (data only, not metadata). */
  void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("Store " + storeName + ": cannot fsync " + path, e);
    }
  }

  /**
   * Writes a compacted copy with {@code write} (which may {@link #read} this file), fsyncs it and
   * swaps it in atomically; {@code onSwap} runs while readers are held off, to point the index at
   * the new positions. Returns the new size.
   */
  long compact(Consumer<DataFileWriter> write, Runnable onSwap) {
    Path tmp = path.resolveSibling(NAME + ".compacting");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      DataFileWriter writer = new DataFileWriter(out, 0);
      write.accept(writer);
      writer.finish();
      out.force(true);
      lock.writeLock().lock();
      try {
        channel.close();
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        log.debug("Store {}: compacted {} to {} bytes", storeName, size, writer.position());
        size = writer.position();
        onSwap.run();
      } finally {
        lock.writeLock().unlock();
      }
      return size;
    } catch (IOException e) {
      throw new UncheckedIOException("Store " + storeName + ": cannot compact " + path, e);
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("Store {}: error closing {}", storeName, path, e);
    }
  }
}
