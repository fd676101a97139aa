package io.millrace.engine.broker.handlers;

import io.millrace.engine.metadata.Controller;
import io.millrace.engine.metadata.MetadataImage;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;

/**
 * DescribeCluster 0-2: cluster id, controller id and the brokers on the request's listener. Only
 * broker endpoints are served (endpoint type 1); a request for controller endpoints gets
 * UNSUPPORTED_ENDPOINT_TYPE, as a Kafka broker answers it.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest> {

  private static final byte BROKER_ENDPOINTS = 1;

  private final Controller controller;

  public DescribeClusterHandler(Controller controller) {
    this.controller = controller;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.DESCRIBE_CLUSTER;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<DescribeClusterRequest> request) {
    MetadataImage image = controller.image();
    DescribeClusterResponseData response = new DescribeClusterResponseData()
        .setClusterId(image.clusterId())
        .setControllerId(image.controllerId())
        .setEndpointType(BROKER_ENDPOINTS);
    if (request.version() >= 1 && request.body().data().endpointType() != BROKER_ENDPOINTS) {
      return Future.succeededFuture(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
          .setErrorMessage("This broker serves broker endpoints (type 1) only."));
    }
    for (ClusterView.Node node : ClusterView.nodes(image, request.connection().listenerName())) {
      response.brokers().add(new DescribeClusterBroker().setBrokerId(node.id()).setHost(node.host())
          .setPort(node.port()).setRack(node.rack()));
    }
    return Future.succeededFuture(response);
  }
}
