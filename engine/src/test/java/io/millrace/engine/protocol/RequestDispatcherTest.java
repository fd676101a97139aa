package io.millrace.engine.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class RequestDispatcherTest {

  static final ConnectionInfo CONN = new ConnectionInfo("c1", "PLAINTEXT", new InetSocketAddress("127.0.0.1", 1));

  /** Serves Metadata by failing, to show errors become the request's own error response. */
  static final class FailingMetadata implements ApiHandler<MetadataRequest> {
    @Override
    public ApiKeys apiKey() {
      return ApiKeys.METADATA;
    }

    @Override
    public Future<ApiMessage> handle(ApiRequest<MetadataRequest> request) {
      return Future.failedFuture(new UnknownTopicOrPartitionException("nope"));
    }
  }

  final RequestDispatcher dispatcher = new RequestDispatcher(
      ApiTable.builder().register(new FailingMetadata()).build(), () -> 0L);

  static ByteBuffer frame(org.apache.kafka.common.requests.AbstractRequest request, int correlationId) {
    return request.serializeWithHeader(new RequestHeader(request.apiKey(), request.version(), "t", correlationId));
  }

  @Test
  void apiVersionsListsRegisteredHandlersWithTheirRanges() {
    Response.Reply reply = (Response.Reply) dispatcher.dispatch(frame(new ApiVersionsRequest.Builder().build((short) 3), 5), CONN)
        .result();
    ApiVersionsResponseData body = (ApiVersionsResponseData) reply.body();
    assertThat(reply.headerVersion()).isZero();
    assertThat(reply.header().correlationId()).isEqualTo(5);
    assertThat(body.apiKeys()).extracting(k -> k.apiKey()).containsExactly(ApiKeys.METADATA.id, ApiKeys.API_VERSIONS.id);
    assertThat(body.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);
  }

  @Test
  void unknownKeysAndVersionsGetUnsupportedVersionInTheV0Format() {
    ByteBuffer unknown = ByteBuffer.allocate(10).putShort((short) 500).putShort((short) 0).putInt(9).putShort((short) -1).flip();
    Response.Reply reply = (Response.Reply) dispatcher.dispatch(unknown, CONN).result();
    assertThat(reply.version()).isZero();
    assertThat(((ApiVersionsResponseData) reply.body()).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    assertThat(reply.header().correlationId()).isEqualTo(9);

    ByteBuffer tooNew = ByteBuffer.allocate(10).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 5).putInt(10)
        .putShort((short) -1).flip();
    reply = (Response.Reply) dispatcher.dispatch(tooNew, CONN).result();
    assertThat(((ApiVersionsResponseData) reply.body()).apiKeys()).isNotEmpty();
  }

  @Test
  void aFailedHandlerAnswersWithTheRequestsErrorResponse() {
    Response.Reply reply = (Response.Reply) dispatcher.dispatch(
        frame(new MetadataRequest.Builder(java.util.List.of("x"), false).build((short) 12), 3), CONN).result();
    MetadataResponseData body = (MetadataResponseData) reply.body();
    assertThat(body.topics().iterator().next().errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    assertThat(reply.headerVersion()).isEqualTo((short) 1);
  }

  @Test
  void garbledFramesThrowSoTheConnectionCloses() {
    assertThatThrownBy(() -> dispatcher.dispatch(ByteBuffer.wrap(new byte[] {0, 3, 0}), CONN))
        .isInstanceOf(InvalidRequestException.class);
    ByteBuffer badClientId = ByteBuffer.allocate(10).putShort(ApiKeys.METADATA.id).putShort((short) 1).putInt(1)
        .putShort((short) 300).flip();
    assertThatThrownBy(() -> dispatcher.dispatch(badClientId, CONN)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("METADATA v1");
  }

  @Test
  void aSecondHandlerForOneApiIsRefused() {
    assertThatThrownBy(() -> ApiTable.builder().register(new FailingMetadata()).register(new FailingMetadata()))
        .isInstanceOf(IllegalStateException.class);
  }
}
