package io.millrace.engine.broker;

import io.millrace.engine.group.GroupCoordinator;
import io.millrace.engine.group.handlers.GroupApis;
import io.millrace.engine.broker.handlers.AlterConfigsHandler;
import io.millrace.engine.broker.handlers.CreatePartitionsHandler;
import io.millrace.engine.broker.handlers.CreateTopicsHandler;
import io.millrace.engine.broker.handlers.DeleteRecordsHandler;
import io.millrace.engine.broker.handlers.DeleteTopicsHandler;
import io.millrace.engine.broker.handlers.DescribeClusterHandler;
import io.millrace.engine.broker.handlers.DescribeConfigsHandler;
import io.millrace.engine.broker.handlers.DescribeLogDirsHandler;
import io.millrace.engine.broker.handlers.ElectLeadersHandler;
import io.millrace.engine.broker.handlers.FetchHandler;
import io.millrace.engine.broker.handlers.IncrementalAlterConfigsHandler;
import io.millrace.engine.broker.handlers.InitProducerIdHandler;
import io.millrace.engine.broker.handlers.ListOffsetsHandler;
import io.millrace.engine.broker.handlers.MetadataHandler;
import io.millrace.engine.broker.handlers.OffsetForLeaderEpochHandler;
import io.millrace.engine.broker.handlers.ProduceHandler;
import io.millrace.engine.config.BrokerConfig;
import io.millrace.engine.metadata.Controller;
import io.millrace.engine.protocol.ApiTable;
import io.vertx.core.Vertx;

/**
 * The one place where the broker's API handlers are registered. A subsystem that serves more APIs
 * (the group coordinator: FindCoordinator, JoinGroup, OffsetCommit, ...) adds its handlers to the
 * builder here; ApiVersions then advertises them.
 */
public final class BrokerApis {

  private BrokerApis() {}

  /** Every API of a single-node broker. */
  public static ApiTable.Builder register(ApiTable.Builder table, Vertx vertx, BrokerConfig config,
      Controller controller, HostedPartitions hosted, TopicConfigCatalog topicConfigs, ProducerIdSource producerIds,
      GroupCoordinator groups) {
    GroupApis.register(table, groups, controller);
    return table
        // cluster metadata and admin
        .register(new MetadataHandler(controller, config.autoCreateTopicsEnable()))
        .register(new DescribeClusterHandler(controller))
        .register(new CreateTopicsHandler(controller, topicConfigs))
        .register(new DeleteTopicsHandler(controller, config.deleteTopicEnable()))
        .register(new CreatePartitionsHandler(controller))
        .register(new ElectLeadersHandler(controller))
        .register(new DescribeConfigsHandler(controller, topicConfigs, config))
        .register(new AlterConfigsHandler(controller))
        .register(new IncrementalAlterConfigsHandler(controller))
        .register(new DescribeLogDirsHandler(vertx, hosted, config.logDirs()))
        // producing
        .register(new InitProducerIdHandler(producerIds))
        .register(new ProduceHandler(hosted, controller))
        // consuming
        .register(new FetchHandler(vertx, hosted, controller, config.fetchMaxBytes()))
        .register(new ListOffsetsHandler(hosted, controller))
        .register(new OffsetForLeaderEpochHandler(hosted, controller))
        .register(new DeleteRecordsHandler(hosted, controller));
  }
}
