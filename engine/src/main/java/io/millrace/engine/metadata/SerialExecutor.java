package io.millrace.engine.metadata;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.function.Supplier;

/**
 * Runs asynchronous steps one at a time, in submission order, on one context: a step starts when
 * the future of the one before it has completed (either way). Thread-safe to submit from anywhere.
 */
final class SerialExecutor {

  private final ContextInternal context;
  /** The last submitted step; context only. */
  private Future<?> tail = Future.succeededFuture();

  SerialExecutor(ContextInternal context) {
    this.context = context;
  }

  ContextInternal context() {
    return context;
  }

  <T> Future<T> submit(Supplier<Future<T>> step) {
    Promise<T> promise = context.promise();
    context.runOnContext(v -> {
      Future<T> run = tail.transform(ignored -> {
        try {
          return step.get();
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      tail = run.otherwiseEmpty();
      run.onComplete(promise);
    });
    return promise.future();
  }
}
