package io.millrace.engine.metadata;

import io.millrace.engine.metadata.Controller.ConfigChange;
import io.millrace.engine.metadata.Controller.ConfigOp;
import io.millrace.engine.metadata.Controller.NewPartitions;
import io.millrace.engine.metadata.Controller.NewTopic;
import io.millrace.engine.metadata.Controller.ProducerIdBlock;
import io.millrace.engine.metadata.Controller.TopicCreation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * The JSON form of the controller's requests and results, as brokers forward them to the
 * controller ({@link ControllerChannel}). Every decoder throws an unchecked exception on malformed
 * input (a broker of another version), which fails that request only.
 */
final class ControllerCodec {

  private ControllerCodec() {}

  // ---------------------------------------------------------------- errors

  static JsonObject error(ApiError e) {
    return new JsonObject().put("code", e.error().code()).put("message", e.message());
  }

  static ApiError error(JsonObject json) {
    return new ApiError(Errors.forCode(json.getInteger("code").shortValue()), json.getString("message"));
  }

  static JsonObject errors(Map<String, ApiError> byName) {
    JsonObject out = new JsonObject();
    byName.forEach((name, e) -> out.put(name, error(e)));
    return out;
  }

  static Map<String, ApiError> errors(JsonObject json) {
    Map<String, ApiError> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), error((JsonObject) e.getValue())));
    return out;
  }

  static JsonArray partitionErrors(Map<TopicPartition, ApiError> byPartition) {
    JsonArray out = new JsonArray();
    byPartition.forEach((tp, e) -> out.add(error(e).put("topic", tp.topic()).put("partition", tp.partition())));
    return out;
  }

  static Map<TopicPartition, ApiError> partitionErrors(JsonArray json) {
    Map<TopicPartition, ApiError> out = new LinkedHashMap<>();
    for (Object o : json) {
      JsonObject e = (JsonObject) o;
      out.put(new TopicPartition(e.getString("topic"), e.getInteger("partition")), error(e));
    }
    return out;
  }

  // ---------------------------------------------------------------- topics

  static JsonArray newTopics(List<NewTopic> topics) {
    JsonArray out = new JsonArray();
    for (NewTopic t : topics) {
      JsonObject assignments = new JsonObject();
      t.assignments().forEach((p, replicas) -> assignments.put(String.valueOf(p), new JsonArray(new ArrayList<>(replicas))));
      out.add(new JsonObject().put("name", t.name()).put("numPartitions", t.numPartitions())
          .put("replicationFactor", t.replicationFactor()).put("assignments", assignments)
          .put("configs", new JsonObject(new LinkedHashMap<>(t.configs()))));
    }
    return out;
  }

  static List<NewTopic> newTopics(JsonArray json) {
    List<NewTopic> out = new ArrayList<>();
    for (Object o : json) {
      JsonObject t = (JsonObject) o;
      Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
      t.getJsonObject("assignments").forEach(e -> assignments.put(Integer.parseInt(e.getKey()),
          MetadataStore.ints((JsonArray) e.getValue())));
      out.add(new NewTopic(t.getString("name"), t.getInteger("numPartitions"),
          t.getInteger("replicationFactor").shortValue(), assignments, strings(t.getJsonObject("configs"))));
    }
    return out;
  }

  static JsonObject creations(Map<String, TopicCreation> results) {
    JsonObject out = new JsonObject();
    results.forEach((name, c) -> out.put(name, new JsonObject().put("error", error(c.error()))
        .put("topic", c.topic() == null ? null : MetadataStore.topicToJson(c.topic()))));
    return out;
  }

  static Map<String, TopicCreation> creations(JsonObject json) {
    Map<String, TopicCreation> out = new LinkedHashMap<>();
    json.forEach(e -> {
      JsonObject c = (JsonObject) e.getValue();
      JsonObject topic = c.getJsonObject("topic");
      out.put(e.getKey(), new TopicCreation(error(c.getJsonObject("error")),
          topic == null ? null : MetadataStore.topicFromJson(topic)));
    });
    return out;
  }

  static JsonArray newPartitions(List<NewPartitions> requests) {
    JsonArray out = new JsonArray();
    for (NewPartitions r : requests) {
      JsonArray assignments = new JsonArray();
      r.assignments().forEach(a -> assignments.add(new JsonArray(new ArrayList<>(a))));
      out.add(new JsonObject().put("topic", r.topic()).put("totalCount", r.totalCount()).put("assignments", assignments));
    }
    return out;
  }

  static List<NewPartitions> newPartitions(JsonArray json) {
    List<NewPartitions> out = new ArrayList<>();
    for (Object o : json) {
      JsonObject r = (JsonObject) o;
      List<List<Integer>> assignments = new ArrayList<>();
      for (Object a : r.getJsonArray("assignments")) {
        assignments.add(MetadataStore.ints((JsonArray) a));
      }
      out.add(new NewPartitions(r.getString("topic"), r.getInteger("totalCount"), assignments));
    }
    return out;
  }

  static JsonObject configChanges(Map<String, ConfigChange> changes) {
    JsonObject out = new JsonObject();
    changes.forEach((topic, change) -> {
      if (change instanceof ConfigChange.Replace replace) {
        out.put(topic, new JsonObject().put("replace", new JsonObject(new LinkedHashMap<>(replace.configs()))));
      } else {
        JsonArray ops = new JsonArray();
        ((ConfigChange.Incremental) change).ops().forEach(op -> ops.add(new JsonObject().put("key", op.key())
            .put("type", op.type().name()).put("value", op.value())));
        out.put(topic, new JsonObject().put("ops", ops));
      }
    });
    return out;
  }

  static Map<String, ConfigChange> configChanges(JsonObject json) {
    Map<String, ConfigChange> out = new LinkedHashMap<>();
    json.forEach(e -> {
      JsonObject c = (JsonObject) e.getValue();
      if (c.containsKey("replace")) {
        out.put(e.getKey(), new ConfigChange.Replace(strings(c.getJsonObject("replace"))));
      } else {
        List<ConfigOp> ops = new ArrayList<>();
        for (Object o : c.getJsonArray("ops")) {
          JsonObject op = (JsonObject) o;
          ops.add(new ConfigOp(op.getString("key"), AlterConfigOp.OpType.valueOf(op.getString("type")),
              op.getString("value")));
        }
        out.put(e.getKey(), new ConfigChange.Incremental(ops));
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- brokers and replicas

  static JsonObject producerIds(ProducerIdBlock block) {
    return new JsonObject().put("firstId", block.firstId()).put("size", block.size());
  }

  static ProducerIdBlock producerIds(JsonObject json) {
    return new ProducerIdBlock(json.getLong("firstId"), json.getInteger("size"));
  }

  static JsonObject isrChange(ReplicaChanges.IsrChange c) {
    return new JsonObject().put("topic", c.partition().topic()).put("partition", c.partition().partition())
        .put("leaderId", c.leaderId()).put("leaderEpoch", c.leaderEpoch()).put("partitionEpoch", c.partitionEpoch())
        .put("isr", new JsonArray(new ArrayList<>(c.newIsr())));
  }

  static ReplicaChanges.IsrChange isrChange(JsonObject json) {
    return new ReplicaChanges.IsrChange(new TopicPartition(json.getString("topic"), json.getInteger("partition")),
        json.getInteger("leaderId"), json.getInteger("leaderEpoch"), json.getInteger("partitionEpoch"),
        MetadataStore.ints(json.getJsonArray("isr")));
  }

  static JsonObject isrResult(ReplicaChanges.IsrResult r) {
    return new JsonObject().put("code", r.error().code())
        .put("partition", r.partition() == null ? null : MetadataStore.partitionToJson(r.partition()));
  }

  static ReplicaChanges.IsrResult isrResult(JsonObject json) {
    JsonObject p = json.getJsonObject("partition");
    return new ReplicaChanges.IsrResult(Errors.forCode(json.getInteger("code").shortValue()),
        p == null ? null : MetadataStore.partitionFromJson(p));
  }

  static JsonArray partitions(List<TopicPartition> partitions) {
    if (partitions == null) {
      return null;
    }
    JsonArray out = new JsonArray();
    partitions.forEach(tp -> out.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition())));
    return out;
  }

  static List<TopicPartition> partitions(JsonArray json) {
    if (json == null) {
      return null;
    }
    List<TopicPartition> out = new ArrayList<>();
    for (Object o : json) {
      JsonObject tp = (JsonObject) o;
      out.add(new TopicPartition(tp.getString("topic"), tp.getInteger("partition")));
    }
    return out;
  }

  static JsonObject broker(BrokerRegistration b) {
    return MetadataStore.brokerToJson(b);
  }

  static BrokerRegistration broker(JsonObject json) {
    return MetadataStore.brokerFromJson(json);
  }

  private static Map<String, String> strings(JsonObject json) {
    Map<String, String> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
    return out;
  }
}
