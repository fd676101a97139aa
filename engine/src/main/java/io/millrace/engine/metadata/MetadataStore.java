package io.millrace.engine.metadata;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;

/**
 * Keeps the metadata image in one file, {@code millrace-metadata} in the first log dir:
 *
 * <pre>
 *   millrace-metadata format=1 version=N length=L crc32c=C\n     header line
 *   { "clusterId": ..., "topics": [ ... ], ... }                  L bytes of UTF-8 JSON, CRC32C C
 * </pre>
 *
 * Writes go to {@code millrace-metadata.tmp}, are forced to disk, then renamed over the file
 * (atomic), and the directory is forced, so a crash leaves the old image or the new one, never a
 * mix. Loading checks the header, the length and the checksum, then the image's invariants
 * (contiguous partitions, unique topic ids, epochs); a file that fails any check stops the broker
 * with a message naming it, rather than starting with metadata that lost topics.
 *
 * <p>Blocking: call from a worker thread. Not thread-safe; the controller calls it serially.
 */
public final class MetadataStore {

  static final String FILE_NAME = "millrace-metadata";
  static final int FORMAT = 1;

  private final Path file;
  private final Path tmp;

  public MetadataStore(Path logDir) {
    this.file = logDir.resolve(FILE_NAME);
    this.tmp = logDir.resolve(FILE_NAME + ".tmp");
  }

  public Path file() {
    return file;
  }

  /**
   * Reads the stored image.
   *
   * @return empty when there is no file (a new node)
   * @throws IllegalStateException when the file is damaged or fails validation
   */
  public Optional<MetadataImage> load() throws IOException {
    Files.deleteIfExists(tmp);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    int newline = indexOf(bytes, (byte) '\n');
    if (newline < 0) {
      throw damaged("no header line");
    }
    Map<String, String> header = parseHeader(new String(bytes, 0, newline, StandardCharsets.UTF_8));
    int format = intField(header, "format");
    if (format != FORMAT) {
      throw damaged("format " + format + " is not " + FORMAT + " (written by another version?)");
    }
    int length = intField(header, "length");
    if (bytes.length - newline - 1 != length) {
      throw damaged("body is " + (bytes.length - newline - 1) + " bytes, header says " + length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, newline + 1, length);
    long expected = Long.parseLong(header.get("crc32c"));
    if (crc.getValue() != expected) {
      throw damaged("checksum " + crc.getValue() + " does not match " + expected);
    }
    MetadataImage image;
    try {
      image = fromJson(new JsonObject(new String(bytes, newline + 1, length, StandardCharsets.UTF_8)));
    } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw damaged("invalid content: " + e.getMessage());
    }
    if (image.version() != Long.parseLong(header.get("version"))) {
      throw damaged("image version " + image.version() + " does not match header " + header.get("version"));
    }
    validate(image);
    return Optional.of(image);
  }

  /** Durably replaces the stored image. */
  public void write(MetadataImage image) {
    byte[] body = toJson(image).encode().getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(body);
    byte[] header = (FILE_NAME + " format=" + FORMAT + " version=" + image.version() + " length="
        + body.length + " crc32c=" + crc.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.allocate(header.length + body.length).put(header).put(body).flip();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(file.getParent());
    } catch (IOException e) {
      throw new KafkaStorageException("cannot write metadata image version " + image.version()
          + " to " + file + ": " + e.getMessage(), e);
    }
  }

  /** Checks what the record constructors cannot: ids unique, broker ids referenced exist. */
  static void validate(MetadataImage image) {
    Set<Uuid> ids = new HashSet<>();
    for (TopicImage topic : image.topics().values()) {
      if (!ids.add(topic.id())) {
        throw new IllegalStateException("metadata: topic id " + topic.id() + " is used twice");
      }
      if (topic.id().equals(Uuid.ZERO_UUID)) {
        throw new IllegalStateException("metadata: topic " + topic.name() + " has the zero id");
      }
      if (topic.partitions().isEmpty()) {
        throw new IllegalStateException("metadata: topic " + topic.name() + " has no partitions");
      }
      for (PartitionImage p : topic.partitions()) {
        if (p.replicas().isEmpty() || (p.leader() >= 0 && !p.isr().contains(p.leader()))) {
          throw new IllegalStateException("metadata: " + topic.name() + "-" + p.partition()
              + " has replicas " + p.replicas() + ", ISR " + p.isr() + " and leader " + p.leader());
        }
      }
    }
  }

  private IllegalStateException damaged(String why) {
    return new IllegalStateException("metadata file " + file + " is damaged: " + why
        + "; restore it from a backup, or move it away to start this node as a new, empty cluster");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private Map<String, String> parseHeader(String line) {
    String[] words = line.trim().split(" ");
    if (words.length == 0 || !words[0].equals(FILE_NAME)) {
      throw damaged("header does not start with '" + FILE_NAME + "'");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq > 0) {
        fields.put(words[i].substring(0, eq), words[i].substring(eq + 1));
      }
    }
    for (String key : List.of("format", "version", "length", "crc32c")) {
      if (!fields.containsKey(key)) {
        throw damaged("header has no " + key);
      }
      try {
        Long.parseLong(fields.get(key));
      } catch (NumberFormatException e) {
        throw damaged("header field " + key + " is not a number: " + fields.get(key));
      }
    }
    return fields;
  }

  private static int intField(Map<String, String> header, String key) {
    return Integer.parseInt(header.get(key));
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory; the rename is still atomic there.
    }
  }

  /** The image as JSON (also how brokers send images to each other). */
  public static JsonObject toJson(MetadataImage image) {
    JsonArray brokers = new JsonArray();
    image.brokers().values().forEach(b -> brokers.add(brokerToJson(b)));
    JsonArray topics = new JsonArray();
    image.topics().values().forEach(t -> topics.add(topicToJson(t)));
    return new JsonObject()
        .put("version", image.version())
        .put("clusterId", image.clusterId())
        .put("controllerId", image.controllerId())
        .put("controllerEpoch", image.controllerEpoch())
        .put("nextProducerId", image.nextProducerId())
        .put("brokers", brokers)
        .put("topics", topics);
  }

  /**
   * Reads an image written by {@link #toJson}.
   *
   * @throws IllegalArgumentException (or ClassCastException, NullPointerException) for malformed JSON
   */
  public static MetadataImage fromJson(JsonObject json) {
    Map<Integer, BrokerRegistration> brokers = new LinkedHashMap<>();
    for (Object o : json.getJsonArray("brokers")) {
      BrokerRegistration b = brokerFromJson((JsonObject) o);
      brokers.put(b.id(), b);
    }
    Map<String, TopicImage> topics = new LinkedHashMap<>();
    for (Object o : json.getJsonArray("topics")) {
      TopicImage t = topicFromJson((JsonObject) o);
      if (topics.put(t.name(), t) != null) {
        throw new IllegalArgumentException("topic " + t.name() + " appears twice");
      }
    }
    return new MetadataImage(json.getLong("version"), json.getString("clusterId"),
        json.getInteger("controllerId"), brokers, topics, json.getLong("nextProducerId"),
        json.getLong("controllerEpoch", 0L));
  }

  static JsonObject brokerToJson(BrokerRegistration b) {
    JsonArray endpoints = new JsonArray();
    b.endpoints().forEach(e -> endpoints.add(new JsonObject()
        .put("listener", e.listenerName()).put("host", e.host()).put("port", e.port())));
    return new JsonObject().put("id", b.id()).put("rack", b.rack().orElse(null)).put("endpoints", endpoints)
        .put("fenced", b.fenced()).put("incarnation", b.incarnation());
  }

  static BrokerRegistration brokerFromJson(JsonObject b) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Object e : b.getJsonArray("endpoints")) {
      JsonObject ep = (JsonObject) e;
      endpoints.add(new Endpoint(ep.getString("listener"), ep.getString("host"), ep.getInteger("port")));
    }
    return new BrokerRegistration(b.getInteger("id"), endpoints, Optional.ofNullable(b.getString("rack")),
        b.getBoolean("fenced", false), b.getString("incarnation", ""));
  }

  static JsonObject topicToJson(TopicImage t) {
    JsonArray partitions = new JsonArray();
    t.partitions().forEach(p -> partitions.add(partitionToJson(p)));
    return new JsonObject().put("name", t.name()).put("id", t.id().toString())
        .put("configs", new JsonObject(new LinkedHashMap<>(t.configs()))).put("partitions", partitions);
  }

  static TopicImage topicFromJson(JsonObject t) {
    List<PartitionImage> partitions = new ArrayList<>();
    for (Object p : t.getJsonArray("partitions")) {
      partitions.add(partitionFromJson((JsonObject) p));
    }
    Map<String, String> configs = new LinkedHashMap<>();
    t.getJsonObject("configs").forEach(e -> configs.put(e.getKey(), (String) e.getValue()));
    return new TopicImage(t.getString("name"), Uuid.fromString(t.getString("id")), partitions, configs);
  }

  static JsonObject partitionToJson(PartitionImage p) {
    return new JsonObject()
        .put("partition", p.partition()).put("leader", p.leader()).put("leaderEpoch", p.leaderEpoch())
        .put("replicas", new JsonArray(new ArrayList<>(p.replicas())))
        .put("isr", new JsonArray(new ArrayList<>(p.isr())))
        .put("partitionEpoch", p.partitionEpoch());
  }

  static PartitionImage partitionFromJson(JsonObject pj) {
    return new PartitionImage(pj.getInteger("partition"), pj.getInteger("leader"),
        pj.getInteger("leaderEpoch"), ints(pj.getJsonArray("replicas")), ints(pj.getJsonArray("isr")),
        pj.getInteger("partitionEpoch"));
  }

  static List<Integer> ints(JsonArray array) {
    List<Integer> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getInteger(i));
    }
    return out;
  }
}
