package io.millrace.engine.protocol;

import io.vertx.core.Future;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;

/**
 * ApiVersions 0-4: the APIs and version ranges of the {@link ApiTable}. Versions the broker does
 * not serve never reach this handler: {@link RequestDispatcher} answers them in the v0 format with
 * UNSUPPORTED_VERSION.
 */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest> {

  private final ApiTable table;

  ApiVersionsHandler(ApiTable table) {
    this.table = table;
  }

  @Override
  public ApiKeys apiKey() {
    return ApiKeys.API_VERSIONS;
  }

  @Override
  public short maxVersion() {
    return 4;
  }

  @Override
  public Future<ApiMessage> handle(ApiRequest<ApiVersionsRequest> request) {
    ApiVersionsResponseData response = new ApiVersionsResponseData().setApiKeys(table.apiVersions());
    // v3+ carries the client's software name and version; Kafka rejects malformed ones.
    if (request.version() >= 3 && !request.body().isValid()) {
      response.setErrorCode(Errors.INVALID_REQUEST.code());
    }
    return Future.succeededFuture(response);
  }
}
