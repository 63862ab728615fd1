package io.jmanager.server;

/** A client-side interface claiming a method the daemon's type does not expose. */
public interface GreeterWithSecret extends Greeter {
  void secret();
}
