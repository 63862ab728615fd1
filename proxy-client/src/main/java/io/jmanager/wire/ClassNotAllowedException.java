package io.jmanager.wire;

import com.esotericsoftware.kryo.KryoException;

/** Thrown while reading a frame that names a class outside the reading side's allowlist. */
public final class ClassNotAllowedException extends KryoException {
  private final String className;

  public ClassNotAllowedException(String className) {
    super("class " + className + " is not allowed");
    this.className = className;
  }

  public String className() {
    return className;
  }
}
