package io.millrace.connect.storage;

/** What an operator asked a connector to be: running, paused, or stopped (KIP-875). */
public enum TargetState {
  STARTED, PAUSED, STOPPED
}
