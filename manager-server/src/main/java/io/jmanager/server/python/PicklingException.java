package io.jmanager.server.python;

/**
 * A Java value the gateway cannot send to Python: a type outside the codec's table, or nested
 * deeper than its limit (a structure that contains itself is). CPython's server answers with
 * {@code ('#UNSERIALIZABLE', text)} when its reply does not pickle.
 */
public final class PicklingException extends IllegalArgumentException {
  PicklingException(String message) {
    super(message);
  }
}
