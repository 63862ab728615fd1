package io.jmanager.client.internal;

import io.jmanager.client.ManagerException;
import io.jmanager.client.RemoteException;
import io.jmanager.wire.Message;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * The one place where a {@link Message.Failure} becomes an exception in the caller. Standard JDK
 * exceptions (and jmanager's own) are re-thrown as the same type with the daemon's message, their
 * cause a {@link RemoteException} carrying the daemon-side stack; a checked one only if the called
 * method declares it. Anything else is a {@link RemoteException}.
 */
final class Failures {
  private Failures() {}

  static Throwable toThrowable(Message answer, Method method) {
    if (answer instanceof Message.Unreadable u) {
      return new ManagerException("cannot read the daemon's answer: " + u.cause().getMessage(), u.cause());
    }
    Message.Failure f = (Message.Failure) answer;
    RemoteException remote = new RemoteException(f.type(), f.message(), f.remoteStack());
    Class<?> type = knownType(f.type());
    if (type == null || !(RuntimeException.class.isAssignableFrom(type) || declares(method, type))) {
      return remote;
    }
    Throwable t = instantiate(type, f.message());
    if (t == null) {
      return remote;
    }
    try {
      t.initCause(remote);
    } catch (IllegalStateException alreadySet) {
      t.addSuppressed(remote);
    }
    return t;
  }

  private static Class<?> knownType(String name) {
    if (!name.startsWith("java.") && !name.startsWith("io.jmanager.client.")) {
      return null;
    }
    try {
      Class<?> c = Class.forName(name, false, Failures.class.getClassLoader());
      return Exception.class.isAssignableFrom(c) ? c : null;
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static boolean declares(Method method, Class<?> type) {
    if (method == null) {
      return false;
    }
    for (Class<?> declared : method.getExceptionTypes()) {
      if (declared.isAssignableFrom(type)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable instantiate(Class<?> type, String message) {
    try {
      Constructor<?> c = type.getConstructor(String.class);
      return (Throwable) c.newInstance(message);
    } catch (ReflectiveOperationException | RuntimeException e) {
      try {
        return (Throwable) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException | RuntimeException e2) {
        return null;
      }
    }
  }
}
