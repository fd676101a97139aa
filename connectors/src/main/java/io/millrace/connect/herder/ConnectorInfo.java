package io.millrace.connect.herder;

import io.millrace.connect.runtime.TaskId;
import java.util.List;
import java.util.Map;

/** A connector as {@code GET /connectors/NAME} shows it. */
public record ConnectorInfo(String name, Map<String, String> config, List<TaskId> tasks,
    String type) {}
