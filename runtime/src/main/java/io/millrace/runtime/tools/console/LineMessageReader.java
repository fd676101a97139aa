package io.millrace.runtime.tools.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.tools.api.RecordReader;

/**
 * The console producer's default reader: one record per line of UTF-8 text, with the reader
 * properties of Kafka's {@code org.apache.kafka.tools.LineMessageReader}:
 *
 * <pre>
 *   parse.key=false          key.separator=\t         the line is  [headers&lt;delim&gt;][key&lt;sep&gt;]value
 *   parse.headers=false      headers.delimiter=\t     headers are  k1:v1,k2:v2
 *   headers.separator=,      headers.key.separator=:
 *   ignore.error=false       (true: a line without the separator is sent without key / headers)
 *   null.marker              (a key, value or header value equal to it is sent as null)
 * </pre>
 *
 * A line that does not parse stops the reader with a {@link KafkaException} naming the line number.
 * Not thread-safe.
 */
public final class LineMessageReader implements RecordReader {

  /** Reader property (set by the console producer): print a {@code >} prompt to this stream before each line. */
  static final String PROMPT_STREAM = "millrace.prompt.stream";

  private String topic;
  private boolean parseKey;
  private String keySeparator = "\t";
  private boolean parseHeaders;
  private String headersDelimiter = "\t";
  private String headersSeparator = ",";
  private String headersKeySeparator = ":";
  private boolean ignoreError;
  private String nullMarker;
  private PrintStream prompt;
  private int lineNumber;

  @Override
  public void configure(Map<String, ?> props) {
    Object t = props.get("topic");
    if (t == null) {
      throw new KafkaException("the reader needs the 'topic' property");
    }
    topic = t.toString();
    parseKey = flag(props, "parse.key", false);
    keySeparator = text(props, "key.separator", keySeparator);
    parseHeaders = flag(props, "parse.headers", false);
    headersDelimiter = text(props, "headers.delimiter", headersDelimiter);
    headersSeparator = text(props, "headers.separator", headersSeparator);
    headersKeySeparator = text(props, "headers.key.separator", headersKeySeparator);
    ignoreError = flag(props, "ignore.error", false);
    nullMarker = props.containsKey("null.marker") ? props.get("null.marker").toString() : null;
    prompt = props.get(PROMPT_STREAM) instanceof PrintStream p ? p : null;
    requireDistinct("headers.delimiter", headersDelimiter, "headers.separator", headersSeparator);
    requireDistinct("headers.delimiter", headersDelimiter, "headers.key.separator", headersKeySeparator);
    requireDistinct("headers.separator", headersSeparator, "headers.key.separator", headersKeySeparator);
    requireDistinct("null.marker", nullMarker, "key.separator", keySeparator);
    requireDistinct("null.marker", nullMarker, "headers.separator", headersSeparator);
    requireDistinct("null.marker", nullMarker, "headers.delimiter", headersDelimiter);
    requireDistinct("null.marker", nullMarker, "headers.key.separator", headersKeySeparator);
    if (keySeparator.isEmpty() || headersDelimiter.isEmpty() || headersSeparator.isEmpty() || headersKeySeparator.isEmpty()) {
      throw new KafkaException("separators may not be empty");
    }
  }

  @Override
  public Iterator<ProducerRecord<byte[], byte[]>> readRecords(InputStream input) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    return new Iterator<>() {
      private ProducerRecord<byte[], byte[]> next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          String line = readLine(reader);
          if (line == null) {
            done = true;
          } else {
            next = record(line);
          }
        }
        return next != null;
      }

      @Override
      public ProducerRecord<byte[], byte[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException("no more lines");
        }
        ProducerRecord<byte[], byte[]> r = next;
        next = null;
        return r;
      }
    };
  }

  private String readLine(BufferedReader reader) {
    lineNumber++;
    if (prompt != null) {
      prompt.print(">");
      prompt.flush();
    }
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
  }

  private ProducerRecord<byte[], byte[]> record(String line) {
    String headers = parseHeaders ? field(line, 0, headersDelimiter, "headers delimiter") : null;
    int keyStart = headers == null ? 0 : headers.length() + headersDelimiter.length();
    String key = parseKey ? field(line, keyStart, keySeparator, "key separator") : null;
    int valueStart = key == null ? keyStart : keyStart + key.length() + keySeparator.length();
    String value = line.substring(valueStart);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytesOrNull(key), bytesOrNull(value));
    if (headers != null && !headers.equals(nullMarker)) {
      for (String pair : Pattern.compile(Pattern.quote(headersSeparator)).split(headers)) {
        addHeader(record, pair);
      }
    }
    return record;
  }

  /** The text from start to the separator; null when there is none and errors are ignored. */
  private String field(String line, int start, String separator, String what) {
    int at = line.indexOf(separator, start);
    if (at < 0) {
      if (ignoreError) {
        return null;
      }
      throw new KafkaException("no " + what + " found on line " + lineNumber + ": '" + line + "'");
    }
    return line.substring(start, at);
  }

  private void addHeader(ProducerRecord<byte[], byte[]> record, String pair) {
    int at = pair.indexOf(headersKeySeparator);
    if (at < 0) {
      if (!ignoreError) {
        throw new KafkaException("no header key separator found in '" + pair + "' on line " + lineNumber);
      }
      record.headers().add(new RecordHeader(pair, null));
      return;
    }
    String key = pair.substring(0, at);
    if (key.equals(nullMarker)) {
      throw new KafkaException("a header key may not be the null marker '" + nullMarker + "' (line " + lineNumber + ")");
    }
    record.headers().add(new RecordHeader(key, bytesOrNull(pair.substring(at + headersKeySeparator.length()))));
  }

  private byte[] bytesOrNull(String s) {
    return s == null || s.equals(nullMarker) ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean flag(Map<String, ?> props, String key, boolean dflt) {
    Object v = props.get(key);
    return v == null ? dflt : v.toString().trim().equalsIgnoreCase("true");
  }

  private static String text(Map<String, ?> props, String key, String dflt) {
    Object v = props.get(key);
    return v == null ? dflt : v.toString();
  }

  private static void requireDistinct(String aName, String a, String bName, String b) {
    if (a != null && a.equals(b)) {
      throw new KafkaException(aName + " and " + bName + " may not be equal");
    }
  }
}
