package io.millrace.runtime.streams;

import io.millrace.runtime.tools.AdminConnection;
import io.millrace.runtime.tools.ToolCommand;
import io.millrace.runtime.tools.ToolException;
import io.millrace.runtime.tools.ToolVersion;
import io.millrace.streams.StreamsApplication;
import io.millrace.streams.StreamsConfig;
import io.millrace.streams.internals.state.StateDirectories;
import io.millrace.streams.internals.topology.InternalTopologyBuilder;
import io.millrace.streams.internals.topology.StoreDef;
import io.millrace.streams.internals.topology.Subtopology;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millrace streams reset NAME --bootstrap-server HOST:PORT}: prepares an application to
 * process its input again from the start (or from a time), as Kafka's application reset tool
 * does, e.g. after its code changed: rewinds the committed offsets of its input topics, deletes
 * its internal topics (repartition topics and changelogs) and, with {@code --state-dir}, its
 * local state. Refuses while any instance of the application is running.
 */
@Command(name = "reset", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
    description = "Make an application reprocess its input: rewind its input offsets, delete its internal "
        + "topics and local state. Stop every instance first.")
public final class StreamsResetCommand extends ToolCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "A sample's name or a topology class's name.")
  String name;

  @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT", description = "The broker(s).")
  String bootstrapServer;

  @Option(names = "--application-id", paramLabel = "ID", description = "The application's id, if not its default.")
  String applicationId;

  @Option(names = "--to-datetime", paramLabel = "ISO-8601",
      description = "Rewind to the first record at or after this time (e.g. 2024-05-01T10:00:00Z) "
          + "instead of the beginning.")
  String toDatetime;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Also delete this instance's local state under DIR (the instance's state.dir).")
  Path stateDir;

  @Option(names = "--class-path", paramLabel = "PATHS",
      description = "Extra jars or directories to load the class from (separated by '${sys:path.separator}').")
  String classPath;

  @Override
  protected String bootstrapServersForMessages() {
    return bootstrapServer;
  }

  @Override
  protected int run() throws Exception {
    StreamsApplication app = StreamsApplications.load(name, StreamsApplications.loader(classPath));
    Properties config = app.defaults();
    if (applicationId != null) {
      config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    }
    String id = config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    if (id == null) {
      throw usageError(name + " sets no application.id: give one with --application-id");
    }
    Long time = null;
    if (toDatetime != null) {
      try {
        time = Instant.parse(toDatetime).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw usageError("--to-datetime expects an ISO-8601 instant such as 2024-05-01T10:00:00Z, got '"
            + toDatetime + "'");
      }
    }
    InternalTopologyBuilder topology = app.topology(config).internalBuilder();
    try (Admin admin = AdminConnection.open(bootstrapServer, "millrace-streams-reset", Map.of())) {
      ensureNoActiveMembers(admin, id);
      rewindInputs(admin, id, externalSources(topology), time);
      deleteInternalTopics(admin, internalTopics(topology, id));
    }
    if (stateDir != null) {
      File appDir = new File(stateDir.toFile(), id);
      StateDirectories.deleteRecursively(appDir);
      out().println("Deleted local state " + appDir);
    }
    return 0;
  }

  private void ensureNoActiveMembers(Admin admin, String id) throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(id)).all().get().get(id);
    if (group != null && !group.members().isEmpty()) {
      throw new ToolException("application " + id + " still has " + group.members().size()
          + " running stream thread(s): stop every instance before resetting it");
    }
  }

  private static Set<String> externalSources(InternalTopologyBuilder topology) {
    Set<String> topics = new TreeSet<>();
    for (Subtopology s : topology.subtopologies()) {
      for (String t : s.sourceTopics()) {
        if (!topology.isInternalTopic(t)) {
          topics.add(t);
        }
      }
    }
    return topics;
  }

  private static Set<String> internalTopics(InternalTopologyBuilder topology, String id) {
    Set<String> topics = new TreeSet<>();
    topology.internalTopics().keySet().forEach(t -> topics.add(topology.resolveTopic(id, t)));
    for (StoreDef s : topology.stores().values()) {
      if (s.builder().loggingEnabled()) {
        topics.add(id + "-" + s.name() + "-changelog");
      }
    }
    return topics;
  }

  private void rewindInputs(Admin admin, String id, Set<String> inputs, Long time) throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (var e : admin.describeTopics(inputs).allTopicNames().get().entrySet()) {
      e.getValue().partitions().forEach(p -> specs.put(new TopicPartition(e.getKey(), p.partition()),
          time == null ? OffsetSpec.earliest() : OffsetSpec.forTimestamp(time)));
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<TopicPartition, OffsetSpec> atEnd = new HashMap<>();
    for (var e : admin.listOffsets(specs).all().get().entrySet()) {
      if (e.getValue().offset() < 0) {
        atEnd.put(e.getKey(), OffsetSpec.latest());
      } else {
        offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue().offset()));
      }
    }
    if (!atEnd.isEmpty()) {
      admin.listOffsets(atEnd).all().get()
          .forEach((tp, r) -> offsets.put(tp, new OffsetAndMetadata(r.offset())));
    }
    admin.alterConsumerGroupOffsets(id, offsets).all().get();
    offsets.keySet().stream()
        .sorted(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
        .forEach(tp -> out().println("Input " + tp + " rewound to offset " + offsets.get(tp).offset()));
  }

  private void deleteInternalTopics(Admin admin, Set<String> wanted) throws Exception {
    Set<String> existing = admin.listTopics().names().get();
    List<String> delete = new ArrayList<>();
    for (String t : wanted) {
      if (existing.contains(t)) {
        delete.add(t);
      }
    }
    if (!delete.isEmpty()) {
      admin.deleteTopics(delete).all().get();
    }
    for (String t : delete) {
      out().println("Deleted internal topic " + t);
    }
  }
}
