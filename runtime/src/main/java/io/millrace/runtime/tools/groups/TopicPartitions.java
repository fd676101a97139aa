package io.millrace.runtime.tools.groups;

import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.ToolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** {@code --topic} values of consumer-groups: {@code topic} (every partition) or {@code topic:0,1,2}. */
final class TopicPartitions {

  private TopicPartitions() {}

  static List<TopicPartition> resolve(Admin admin, List<String> specs) throws InterruptedException {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String spec : specs) {
      int colon = spec.indexOf(':');
      String topic = colon < 0 ? spec.trim() : spec.substring(0, colon).trim();
      if (topic.isEmpty()) {
        throw new ToolException("invalid --topic '" + spec + "': expected TOPIC or TOPIC:0,1,2");
      }
      if (colon >= 0) {
        for (String p : spec.substring(colon + 1).split(",")) {
          try {
            partitions.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
          } catch (NumberFormatException e) {
            throw new ToolException("invalid --topic '" + spec + "': '" + p.trim() + "' is not a partition number");
          }
        }
        continue;
      }
      try {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        d.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      } catch (ExecutionException e) {
        if (KafkaFailures.unwrap(e) instanceof UnknownTopicOrPartitionException) {
          throw new ToolException("topic '" + topic + "' does not exist");
        }
        throw new ToolException("cannot describe topic '" + topic + "': " + KafkaFailures.describe(e, null), e);
      }
    }
    return partitions;
  }
}
