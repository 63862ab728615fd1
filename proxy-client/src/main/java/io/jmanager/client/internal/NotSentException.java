package io.jmanager.client.internal;

import io.jmanager.client.ConnectionLostException;

/**
 * A call found its connection already lost before any byte of it was written: the daemon never
 * saw it, so it is safe to make again on the next connection (unlike a call lost in flight, whose
 * outcome is unknown).
 */
final class NotSentException extends ConnectionLostException {
  NotSentException(String message) {
    super(message);
  }
}
