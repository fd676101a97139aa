package io.millrace.runtime.tools.perf;

import io.millrace.runtime.tools.ToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/** The record values of a producer run: random letters of a fixed size, lines of a file, or counting numbers. */
interface Payloads {

  byte[] next(long index);

  /** Random upper-case letters, as Kafka's tool makes them; one buffer reused for every record. */
  static Payloads random(int size, Random random) {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) ('A' + random.nextInt(26));
    }
    return index -> payload;
  }

  /** The decimal index: 0, 1, 2, ... */
  static Payloads monotonic() {
    return index -> Long.toString(index).getBytes(StandardCharsets.UTF_8);
  }

  /** A random entry of a UTF-8 file split at the delimiter. */
  static Payloads fromFile(Path file, String delimiter, Random random) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ToolException("cannot read the payload file " + file + ": " + e.getMessage());
    }
    List<byte[]> entries = new ArrayList<>();
    for (String s : text.split(Pattern.quote(delimiter))) {
      if (!s.isEmpty()) {
        entries.add(s.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (entries.isEmpty()) {
      throw new ToolException("the payload file " + file + " has no payloads");
    }
    return index -> entries.get(random.nextInt(entries.size()));
  }
}
