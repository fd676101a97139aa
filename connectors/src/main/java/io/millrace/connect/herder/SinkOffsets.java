package io.millrace.connect.herder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Reads and changes a sink connector's offsets: the committed offsets of its consumer group
 * {@code connect-NAME}, shown as {@code {"partition": {"kafka_topic", "kafka_partition"},
 * "offset": {"kafka_offset"}}} like Kafka Connect does. Thread-safe; each call uses its own
 * admin client.
 */
final class SinkOffsets {
  private final Map<String, Object> adminProps;

  SinkOffsets(Map<String, Object> adminProps) {
    this.adminProps = adminProps;
  }

  List<Map<String, Object>> read(String group, long timeoutMs) {
    try (Admin admin = Admin.create(adminProps)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
      List<Map<String, Object>> out = new ArrayList<>();
      committed.forEach((tp, om) -> {
        if (om != null) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("partition", Map.of("kafka_topic", tp.topic(), "kafka_partition", tp.partition()));
          e.put("offset", Map.of("kafka_offset", om.offset()));
          out.add(e);
        }
      });
      out.sort((a, b) -> a.get("partition").toString().compareTo(b.get("partition").toString()));
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return List.of();
      }
      throw new ConnectException("Could not read offsets of group " + group, e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new ConnectException("Could not read offsets of group " + group, e);
    }
  }

  /** Applies the entries (null offset removes one); null entries reset the whole group. */
  void alter(String group, List<Map<String, Object>> entries, long timeoutMs) {
    try (Admin admin = Admin.create(adminProps)) {
      if (entries == null) {
        try {
          admin.deleteConsumerGroups(List.of(group)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof GroupIdNotFoundException)) {
            throw e;
          }
        }
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> alter = new HashMap<>();
      Set<TopicPartition> remove = new HashSet<>();
      for (Map<String, Object> e : entries) {
        TopicPartition tp = partition(e.get("partition"));
        Object o = e.get("offset");
        if (o == null) {
          remove.add(tp);
        } else if (o instanceof Map<?, ?> m && m.get("kafka_offset") instanceof Number n
            && n.longValue() >= 0) {
          alter.put(tp, new OffsetAndMetadata(n.longValue()));
        } else {
          throw new BadRequestException("A sink offset must be {\"kafka_offset\": N} with N >= 0, "
              + "or null");
        }
      }
      if (!alter.isEmpty()) {
        admin.alterConsumerGroupOffsets(group, alter).all().get(timeoutMs, TimeUnit.MILLISECONDS);
      }
      if (!remove.isEmpty()) {
        admin.deleteConsumerGroupOffsets(group, remove).all()
            .get(timeoutMs, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException) {
        throw new BadRequestException("The consumer group " + group + " still has members; "
            + "wait for the connector's tasks to stop");
      }
      throw new ConnectException("Could not alter offsets of group " + group + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new ConnectException("Could not alter offsets of group " + group, e);
    }
  }

  private static TopicPartition partition(Object p) {
    if (p instanceof Map<?, ?> m && m.get("kafka_topic") instanceof String topic
        && m.get("kafka_partition") instanceof Number n && n.intValue() >= 0) {
      return new TopicPartition(topic, n.intValue());
    }
    throw new BadRequestException("A sink partition must be {\"kafka_topic\": T, "
        + "\"kafka_partition\": N}");
  }
}
