package io.jmanager.wire;

import com.esotericsoftware.kryo.KryoException;

/** Thrown while reading a frame that names a class outside the reading side's allowlist. */
public final class ClassNotAllowedException extends KryoException {
  /** The refused class's name, as the frame spelled it. */
  private final String className;

  /**
   * Creates the exception for a refused class.
   *
   * @param className the class's name, as the frame spelled it
   */
  public ClassNotAllowedException(String className) {
    super("class " + className + " is not allowed");
    this.className = className;
  }

  /**
   * {@return the refused class's name, as the frame spelled it: an array's in JVM form, such as
   * {@code [Lcom.acme.Order;}}
   */
  public String className() {
    return className;
  }
}
