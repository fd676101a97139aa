package io.millrace.connect.file;

import io.millrace.connect.Version;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads complete lines (ending in {@code \n}; a trailing {@code \r} is dropped) from the byte
 * position of its offset. A line still being written (no newline yet) waits for the next poll.
 * Offset: {@code {"position": N, "file_key": KEY}}, partition {@code {"filename": PATH}}.
 */
public final class FileStreamSourceTask extends SourceTask {
  private static final Logger LOG = LoggerFactory.getLogger(FileStreamSourceTask.class);
  static final String FILENAME = "filename";
  static final String POSITION = "position";
  static final String FILE_KEY = "file_key";
  private static final int READ_BYTES = 64 * 1024;
  private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private Path path;
  private String topic;
  private int batchSize;
  private long pollIntervalMs;
  private Map<String, String> partition;
  private FileChannel channel;
  private String fileKey;
  private long position;
  private ByteBuffer pending = ByteBuffer.allocate(READ_BYTES);
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    AbstractConfig c = new AbstractConfig(FileStreamSourceConnector.CONFIG, props);
    path = Path.of(c.getString(FileStreamSourceConnector.FILE));
    topic = c.getString(FileStreamSourceConnector.TOPIC);
    batchSize = c.getInt(FileStreamSourceConnector.BATCH_SIZE);
    pollIntervalMs = c.getLong(FileStreamSourceConnector.POLL_INTERVAL_MS);
    partition = Map.of(FILENAME, path.toString());
    Map<String, Object> offset = context.offsetStorageReader().offset(partition);
    if (offset != null && offset.get(POSITION) instanceof Number n) {
      position = n.longValue();
      fileKey = (String) offset.get(FILE_KEY);
      LOG.info("Resuming {} at byte {}", path, position);
    }
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    List<SourceRecord> records = readAvailable();
    if (records == null || records.isEmpty()) {
      stopped.await(pollIntervalMs, TimeUnit.MILLISECONDS);
      return null;
    }
    return records;
  }

  /** Null when nothing can be read now (no file, stopping, or just reopened). */
  private synchronized List<SourceRecord> readAvailable() {
    if (stopped.getCount() == 0) {
      return null;
    }
    try {
      if (!maybeOpen()) {
        return null;
      }
      List<SourceRecord> records = readLines();
      if (records.isEmpty() && maybeRotateOrTruncate() && maybeOpen()) {
        return readLines();
      }
      return records;
    } catch (IOException e) {
      closeChannel();
      throw new ConnectException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private boolean maybeOpen() throws IOException {
    if (channel != null) {
      return true;
    }
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return false;
    }
    String key = keyOf(path);
    if (fileKey != null && key != null && !fileKey.equals(key)) {
      LOG.info("{} is a new file (was {}, now {}); reading it from the start", path, fileKey, key);
      position = 0;
    }
    if (channel.size() < position) {
      LOG.warn("{} is shorter ({} bytes) than the stored position {}: truncated, reading from "
          + "the start", path, channel.size(), position);
      position = 0;
    }
    fileKey = key;
    pending.clear();
    return true;
  }

  /** After a read that found nothing: has the file been truncated or replaced? */
  private boolean maybeRotateOrTruncate() throws IOException {
    if (channel.size() < position) {
      LOG.warn("{} was truncated; reading it from the start", path);
      position = 0;
      pending.clear();
      return true;
    }
    String now;
    try {
      now = keyOf(path);
    } catch (NoSuchFileException e) {
      return false; // rotated away, new file not there yet: keep the old one open
    }
    if (!Objects.equals(now, fileKey)) {
      LOG.info("{} was rotated; finished the old file at byte {}, reading the new one", path,
          position);
      closeChannel();
      position = 0;
      fileKey = null;
      return true;
    }
    return false;
  }

  private List<SourceRecord> readLines() throws IOException {
    List<SourceRecord> out = new ArrayList<>();
    long readAt = position + pending.position();
    while (out.size() < batchSize) {
      if (!pending.hasRemaining()) {
        if (pending.capacity() >= MAX_LINE_BYTES) {
          throw new IOException("line at byte " + position + " is longer than "
              + MAX_LINE_BYTES + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(pending.capacity() * 2);
        pending.flip();
        bigger.put(pending);
        pending = bigger;
      }
      int n = channel.read(pending, readAt);
      if (n <= 0) {
        break;
      }
      readAt += n;
      takeLines(out);
    }
    return out;
  }

  private void takeLines(List<SourceRecord> out) {
    byte[] buf = pending.array();
    int start = 0;
    int end = pending.position();
    for (int i = 0; i < end && out.size() < batchSize; i++) {
      if (buf[i] == '\n') {
        int len = i - start;
        if (len > 0 && buf[start + len - 1] == '\r') {
          len--;
        }
        String line = new String(buf, start, len, StandardCharsets.UTF_8);
        position += i + 1 - start;
        start = i + 1;
        out.add(new SourceRecord(partition,
            fileKey == null ? Map.of(POSITION, position)
                : Map.of(POSITION, position, FILE_KEY, fileKey),
            topic, null, null, null, Schema.STRING_SCHEMA, line, System.currentTimeMillis()));
      }
    }
    // keep only the unfinished tail; what was read past a full batch is read again next time
    int consumed = start;
    int tail = end - consumed;
    int keep = out.size() >= batchSize ? 0 : tail;
    System.arraycopy(buf, consumed, buf, 0, keep);
    pending.clear();
    pending.position(keep);
  }

  private static String keyOf(Path p) throws IOException {
    Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    return key == null ? null : key.toString();
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing {}", path, e);
      }
      channel = null;
    }
  }

  @Override
  public void stop() {
    stopped.countDown();
    synchronized (this) {
      closeChannel();
    }
  }
}
