package io.millrace.streams.internals.state;

import io.millrace.streams.processor.TaskId;
import io.millrace.streams.state.StateRestoreCallback;
import io.millrace.streams.state.StateStore;
import io.millrace.streams.state.StateStoreContext;
import java.io.File;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/** A store context passing everything to another, for layers that change one method. */
class DelegatingStoreContext implements InternalStoreContext {
  private final StateStoreContext delegate;

  DelegatingStoreContext(StateStoreContext delegate) {
    this.delegate = delegate;
  }

  @Override
  public TaskId taskId() {
    return delegate.taskId();
  }

  @Override
  public String applicationId() {
    return delegate.applicationId();
  }

  @Override
  public File stateDir() {
    return delegate.stateDir();
  }

  @Override
  public Map<String, Object> appConfigs() {
    return delegate.appConfigs();
  }

  @Override
  public void register(StateStore store, StateRestoreCallback callback) {
    delegate.register(store, callback);
  }

  @Override
  public void logChange(String storeName, Bytes key, byte[] value, long timestamp) {
    ((InternalStoreContext) delegate).logChange(storeName, key, value, timestamp);
  }

  @Override
  public long recordTimestamp() {
    return ((InternalStoreContext) delegate).recordTimestamp();
  }

  @Override
  public CacheBudget cacheBudget() {
    return ((InternalStoreContext) delegate).cacheBudget();
  }
}
