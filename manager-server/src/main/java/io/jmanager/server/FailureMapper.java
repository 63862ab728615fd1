package io.jmanager.server;

import com.esotericsoftware.kryo.KryoException;
import io.jmanager.client.NotAllowedException;
import io.jmanager.wire.ClassNotAllowedException;
import io.jmanager.wire.Message;

/**
 * The one place where a daemon-side exception becomes a {@link Message.Failure}: its class name,
 * message and stack, with serialization problems turned into the client-facing types.
 */
final class FailureMapper {
  private static final int MAX_FRAMES = 40;

  private FailureMapper() {}

  static Message.Failure of(long callId, Throwable t) {
    if (t instanceof ClassNotAllowedException e) {
      return new Message.Failure(callId, NotAllowedException.class.getName(), notAllowed(e.className()), "");
    }
    if (t instanceof KryoException) {
      String missing = String.valueOf(t.getMessage()).contains("Unable to find class")
          ? " (the daemon has no such class: put the jar that holds it in the daemon's lib.dir and restart it)" : "";
      return new Message.Failure(callId, IllegalArgumentException.class.getName(),
          "the daemon cannot read this value: " + t.getMessage() + missing, stack(t));
    }
    return new Message.Failure(callId, t.getClass().getName(), t.getMessage(), stack(t));
  }

  static String notAllowed(String className) {
    int dot = className.lastIndexOf('.');
    boolean jdk = className.matches("(java|javax|jdk|sun|com\\.sun)\\..*");
    String what = jdk || dot < 0 ? "it" : "it (or its package, " + className.substring(0, dot) + ".*)";
    return "class " + className + " is not allowed by the daemon: add " + what
        + " to serialization.allow in the daemon's config";
  }

  private static String stack(Throwable t) {
    StringBuilder sb = new StringBuilder(t.toString());
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
      sb.append("\n\tat ").append(frames[i]);
    }
    if (frames.length > MAX_FRAMES) {
      sb.append("\n\t... ").append(frames.length - MAX_FRAMES).append(" more");
    }
    return sb.toString();
  }
}
