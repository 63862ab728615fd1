package io.jmanager.server;

import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;

/** Worker JVM programs the multi-process tests start with WorkerProcess. */
public final class Workers {
  private Workers() {}

  /** {@code merge|increment dictName key n}: n atomic +1 updates on one key. */
  public static final class Adder {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        SharedDict<String, Object> d = m.dict(args[1]);
        int n = Integer.parseInt(args[3]);
        for (int i = 0; i < n; i++) {
          if (args[0].equals("merge")) {
            d.merge(args[2], 1, (a, b) -> (Integer) a + (Integer) b);
          } else {
            d.increment(args[2], 1);
          }
        }
      }
    }
  }

  /** {@code dictName key value}: writes one entry. */
  public static final class Writer {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        m.dict(args[0]).put(args[1], args[2]);
      }
    }
  }

  /** {@code dictName key expected}: exits 0 if the entry holds the expected value, 3 otherwise. */
  public static final class Reader {
    public static void main(String[] args) {
      try (Manager m = Manager.fromEnvironment()) {
        Object v = m.dict(args[0]).get(args[1]);
        System.exit(args[2].equals(v) ? 0 : 3);
      }
    }
  }
}
