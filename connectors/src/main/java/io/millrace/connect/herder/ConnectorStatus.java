package io.millrace.connect.herder;

import io.millrace.connect.storage.StatusStore.Status;
import java.util.Map;

/** A connector's status and its tasks' (by task number), as {@code /status} shows them. */
public record ConnectorStatus(String name, Status connector, Map<Integer, Status> tasks,
    String type) {}
