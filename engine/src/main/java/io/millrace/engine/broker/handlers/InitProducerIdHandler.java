package io.millrace.engine.broker.handlers;

import io.millrace.engine.broker.ProducerIdSource;
import io.millrace.engine.protocol.ApiHandler;
import io.millrace.engine.protocol.ApiRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId 0-6 for idempotent producers: a fresh producer id with epoch 0 each time, as
 * Kafka gives producers without a transactional id. Transactions are not served: a request with
 * a transactional id gets INVALID_REQUEST and a log line saying so.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest> {

  private static final Logger log = LoggerFactory.getLogger(InitProducerIdHandler.class);

  private final ProducerIdSource producerIds;

  public InitProducerIdHandler(ProducerIdSource producerIds) {
    this.producerIds = producerIds;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.INIT_PRODUCER_ID;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<InitProducerIdRequest> request) {
    String transactionalId = request.body().data().transactionalId();
    if (transactionalId != null) {
      log.warn("Refusing InitProducerId for transactional id '{}' from {}: transactions are not supported",
          transactionalId, request.connection().connectionId());
      return Future.succeededFuture(new InitProducerIdResponseData()
          .setErrorCode(Errors.INVALID_REQUEST.code()).setProducerId(-1).setProducerEpoch((short) -1));
    }
    return producerIds.nextProducerId().map(id -> new InitProducerIdResponseData()
        .setErrorCode(Errors.NONE.code()).setProducerId(id).setProducerEpoch((short) 0));
  }
}
