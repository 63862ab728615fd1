package io.jmanager.server;

/** A user type's interface, as a user would ship it to both sides. */
public interface Greeter {
  String greet(String who);

  int count();

  /** The daemon thread that served the call. */
  String servedBy();
}
