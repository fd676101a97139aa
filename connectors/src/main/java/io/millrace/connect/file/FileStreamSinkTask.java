package io.millrace.connect.file;

import io.millrace.connect.Version;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Appends record values as lines; {@code flush} forces them to disk. */
public final class FileStreamSinkTask extends SinkTask {
  private Path path;
  private FileChannel channel;
  private OutputStream out;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    path = Path.of(new AbstractConfig(FileStreamSinkConnector.CONFIG, props)
        .getString(FileStreamSinkConnector.FILE));
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    } catch (IOException e) {
      throw new ConnectException("Cannot open " + path + " for appending: " + e.getMessage(), e);
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    try {
      for (SinkRecord r : records) {
        Object v = r.value();
        out.write((v == null ? "" : v.toString()).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new ConnectException("Cannot write to " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void flush(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      out.flush();
      channel.force(false);
    } catch (IOException e) {
      throw new ConnectException("Cannot flush " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new ConnectException("Cannot close " + path, e);
      }
    }
  }
}
