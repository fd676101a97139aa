package io.millrace.runtime.tools.groups;

import io.millrace.runtime.tools.KafkaFailures;
import io.millrace.runtime.tools.TextTable;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.common.TopicPartition;

/** {@code consumer-groups --delete-offsets --group G --topic T[:P,...]}: forgets committed offsets. */
final class OffsetDeletion {

  private final Admin admin;
  private final PrintStream out;
  private final PrintStream err;

  OffsetDeletion(Admin admin, PrintStream out, PrintStream err) {
    this.admin = admin;
    this.out = out;
    this.err = err;
  }

  int delete(String group, List<String> topics) throws Exception {
    Set<TopicPartition> partitions = new LinkedHashSet<>(TopicPartitions.resolve(admin, topics));
    DeleteConsumerGroupOffsetsResult result = admin.deleteConsumerGroupOffsets(group, partitions);
    TextTable table = new TextTable("TOPIC", "PARTITION", "STATUS");
    int failures = 0;
    for (TopicPartition tp : partitions) {
      try {
        result.partitionResult(tp).get();
        table.row(tp.topic(), tp.partition(), "Successful");
      } catch (ExecutionException e) {
        failures++;
        table.row(tp.topic(), tp.partition(), "Error: " + KafkaFailures.describe(e, null));
      }
    }
    if (failures == 0) {
      out.println("Request succeeded for deleting offsets from group '" + group + "'.");
    } else {
      err.println("Error: deleting offsets from group '" + group + "' failed for " + failures + " partition(s).");
    }
    out.println();
    table.print(out);
    return failures == 0 ? 0 : 1;
  }
}
