package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.HostedPartition;
import io.millrace.engine.broker.HostedPartitions;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;

/**
 * DescribeLogDirs 1-5: each log dir with the size of every partition in it (all, or those asked
 * for) and, from v4, the file system's total and usable bytes. The file-system query blocks, so
 * the answer is built on a worker thread.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequest> {

  private final Vertx vertx;
  private final HostedPartitions hosted;
  private final List<Path> logDirs;

  public DescribeLogDirsHandler(Vertx vertx, HostedPartitions hosted, List<Path> logDirs) {
    this.vertx = vertx;
    this.hosted = hosted;
    this.logDirs = List.copyOf(logDirs);
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.DESCRIBE_LOG_DIRS;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<DescribeLogDirsRequest> request) {
    DescribeLogDirsRequestData wanted = new DescribeLogDirsRequestData(request.body().data());
    return vertx.executeBlocking(() -> describe(wanted), false);
  }

  /** The requested partitions by topic, or null for all. */
  private record DescribeLogDirsRequestData(Map<String, List<Integer>> topics) {
    DescribeLogDirsRequestData(org.apache.kafka.common.message.DescribeLogDirsRequestData data) {
      this(data.topics() == null ? null : byTopic(data));
    }

    private static Map<String, List<Integer>> byTopic(org.apache.kafka.common.message.DescribeLogDirsRequestData data) {
      Map<String, List<Integer>> out = new LinkedHashMap<>();
      for (DescribableLogDirTopic t : data.topics()) {
        out.put(t.topic(), t.partitions());
      }
      return out;
    }

    boolean includes(String topic, int partition) {
      return topics == null || (topics.containsKey(topic) && topics.get(topic).contains(partition));
    }
  }

  private ApiMessage describe(DescribeLogDirsRequestData wanted) {
    Map<Path, Map<String, DescribeLogDirsTopic>> byDir = new LinkedHashMap<>();
    logDirs.forEach(d -> byDir.put(d, new TreeMap<>()));
    for (HostedPartition p : hosted.all()) {
      String topic = p.topicPartition().topic();
      int partition = p.topicPartition().partition();
      Map<String, DescribeLogDirsTopic> topics = byDir.get(p.log().dir().getParent().toAbsolutePath().normalize());
      if (topics == null || !wanted.includes(topic, partition)) {
        continue;
      }
      topics.computeIfAbsent(topic, n -> new DescribeLogDirsTopic().setName(n)).partitions()
          .add(new DescribeLogDirsPartition().setPartitionIndex(partition)
              .setPartitionSize(p.log().sizeInBytes()).setOffsetLag(0).setIsFutureKey(false));
    }
    DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
    byDir.forEach((dir, topics) -> {
      DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString())
          .setTotalBytes(-1).setUsableBytes(-1);
      try {
        FileStore store = Files.getFileStore(dir);
        result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
      } catch (IOException e) {
        result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
      }
      topics.values().forEach(t -> result.topics().add(t));
      response.results().add(result);
    });
    return response;
  }
}
