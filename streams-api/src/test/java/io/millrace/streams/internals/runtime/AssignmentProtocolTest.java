package io.millrace.streams.internals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.processor.TaskId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssignmentProtocolTest {

  @Test
  void subscriptionsAndAssignmentsRoundTrip() {
    UUID id = UUID.randomUUID();
    var sub = AssignmentProtocol.Subscription.of(id, "h:1", Set.of(new TaskId(0, 1)), Set.of(new TaskId(1, 0)),
        Set.of(new TaskId(0, 1), new TaskId(1, 0)), false);
    var back = AssignmentProtocol.decode(AssignmentProtocol.encode(sub), AssignmentProtocol.Subscription.class);
    assertThat(back.processId()).isEqualTo(id);
    assertThat(back.active()).containsExactly(new TaskId(0, 1));
    assertThat(back.withState()).hasSize(2);
    var a = AssignmentProtocol.Assignment.of(Set.of(new TaskId(0, 2)), Set.of(), 0,
        Map.of("h:1", new AssignmentProtocol.HostTasks(java.util.List.of("0_2"), java.util.List.of())), true);
    var aBack = AssignmentProtocol.decode(AssignmentProtocol.encode(a), AssignmentProtocol.Assignment.class);
    assertThat(aBack.active()).containsExactly(new TaskId(0, 2));
    assertThat(aBack.hosts()).containsKey("h:1");
    assertThat(aBack.rejoin()).isTrue();
  }

  @Test
  void unknownFieldsAreIgnoredAndOtherVersionsRefused() {
    String json = "{\"version\":1,\"processId\":\"" + UUID.randomUUID() + "\",\"endpoint\":\"\",\"activeTasks\":[],"
        + "\"standbyTasks\":[],\"tasksWithState\":[],\"shutdownRequested\":false,\"future\":42}";
    assertThat(AssignmentProtocol.decode(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)),
        AssignmentProtocol.Subscription.class).activeTasks()).isEmpty();
    String v2 = json.replace("\"version\":1", "\"version\":2");
    assertThatThrownBy(() -> AssignmentProtocol.decode(ByteBuffer.wrap(v2.getBytes(StandardCharsets.UTF_8)),
        AssignmentProtocol.Subscription.class)).isInstanceOf(StreamsException.class).hasMessageContaining("version 2");
  }

  @Test
  void garbageAndEmptyUserDataAreClearErrors() {
    assertThatThrownBy(() -> AssignmentProtocol.decode(ByteBuffer.wrap(new byte[] {1, 2}),
        AssignmentProtocol.Assignment.class)).isInstanceOf(StreamsException.class).hasMessageContaining("Cannot decode");
    assertThatThrownBy(() -> AssignmentProtocol.decode(ByteBuffer.allocate(0), AssignmentProtocol.Assignment.class))
        .hasMessageContaining("non-streams consumer");
    String badTask = "{\"version\":1,\"activeTasks\":[\"x_y\"],\"standbyTasks\":[],\"error\":0,\"hosts\":{}}";
    var a = AssignmentProtocol.decode(ByteBuffer.wrap(badTask.getBytes(StandardCharsets.UTF_8)),
        AssignmentProtocol.Assignment.class);
    assertThatThrownBy(a::active).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x_y");
    assertThat(a.rejoin()).as("absent in older assignments").isFalse();
  }
}
