package io.millrace.streams.internals.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.streams.errors.StreamsException;
import io.millrace.streams.processor.TaskId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What the application's group members tell the leader (in their subscription user data) and
 * what the leader tells each member back (in its assignment user data), as JSON:
 *
 * <pre>
 * subscription: {"version":1,"processId":"…uuid…","endpoint":"host:port",
 *                "activeTasks":["0_1"],"standbyTasks":["1_0"],"tasksWithState":["0_1","1_0"],
 *                "shutdownRequested":false}
 * assignment:   {"version":1,"activeTasks":["0_1","1_1"],"standbyTasks":["0_2"],"error":0,
 *                "hosts":{"host:port":{"active":["0_1"],"standby":["0_2"]}},"rejoin":false}
 * </pre>
 *
 * JSON keeps the format readable in a debugger and open to new fields (unknown ones are
 * ignored); the version lets a future format refuse old members clearly.
 */
final class AssignmentProtocol {
  static final int VERSION = 1;
  /** Assignment error: none. */
  static final int NO_ERROR = 0;
  /** Assignment error: an instance asked the whole application to shut down. */
  static final int SHUTDOWN_APPLICATION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AssignmentProtocol() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Subscription(
      int version,
      UUID processId,
      String endpoint,
      List<String> activeTasks,
      List<String> standbyTasks,
      List<String> tasksWithState,
      boolean shutdownRequested) {

    static Subscription of(UUID processId, String endpoint, Collection<TaskId> active,
        Collection<TaskId> standby, Collection<TaskId> withState, boolean shutdown) {
      return new Subscription(VERSION, processId, endpoint, names(active), names(standby), names(withState), shutdown);
    }

    Set<TaskId> active() {
      return ids(activeTasks);
    }

    Set<TaskId> standby() {
      return ids(standbyTasks);
    }

    Set<TaskId> withState() {
      return ids(tasksWithState);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record HostTasks(List<String> active, List<String> standby) {}

  /**
   * One member's tasks; {@code rejoin}: tasks are waiting for their owners to release them, so
   * the member should rejoin at once (not at its next heartbeat) for the rebalance that places
   * them. Absent in older data: false.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Assignment(int version, List<String> activeTasks, List<String> standbyTasks, int error,
      Map<String, HostTasks> hosts, boolean rejoin) {

    static Assignment of(Collection<TaskId> active, Collection<TaskId> standby, int error,
        Map<String, HostTasks> hosts, boolean rejoin) {
      return new Assignment(VERSION, names(active), names(standby), error, new TreeMap<>(hosts), rejoin);
    }

    Set<TaskId> active() {
      return ids(activeTasks);
    }

    Set<TaskId> standby() {
      return ids(standbyTasks);
    }
  }

  static ByteBuffer encode(Object info) {
    try {
      return ByteBuffer.wrap(MAPPER.writeValueAsBytes(info));
    } catch (IOException e) {
      throw new StreamsException("Cannot encode " + info, e);
    }
  }

  static <T> T decode(ByteBuffer data, Class<T> type) {
    if (data == null || !data.hasRemaining()) {
      throw new StreamsException("A member of the group sent no streams " + type.getSimpleName()
          + " data: is a non-streams consumer using the application.id as its group.id?");
    }
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    try {
      T t = MAPPER.readValue(bytes, type);
      int version = type == Subscription.class ? ((Subscription) t).version() : ((Assignment) t).version();
      if (version != VERSION) {
        throw new StreamsException("Unsupported streams " + type.getSimpleName() + " version " + version
            + " (this instance speaks " + VERSION + ")");
      }
      return t;
    } catch (IOException e) {
      throw new StreamsException("Cannot decode streams " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  static List<String> names(Collection<TaskId> ids) {
    List<String> out = new ArrayList<>();
    new TreeSet<>(ids).forEach(id -> out.add(id.toString()));
    return out;
  }

  static Set<TaskId> ids(List<String> names) {
    Set<TaskId> out = new TreeSet<>();
    if (names != null) {
      names.forEach(n -> out.add(TaskId.parse(n)));
    }
    return out;
  }
}
