package io.jmanager.server.python;

import io.jmanager.client.PythonFrozenSet;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The allowlist of the gateway's unpickler: the only globals a pickle may name, which are what
 * CPython itself writes for the value table's types at protocols 0-3 ({@code set}, {@code
 * frozenset}, and {@code bytes} by way of {@code _codecs.encode}). Each is called here, with its
 * arguments checked, and builds a table value; no other global resolves ({@link #resolve} throws,
 * naming it), so no pickle can construct an object or call a function outside this enum.
 */
enum AllowedGlobal {
  SET("builtins", "set"),
  FROZENSET("builtins", "frozenset"),
  BYTES("builtins", "bytes"),
  CODECS_ENCODE("_codecs", "encode");

  private final String module;
  private final String name;

  AllowedGlobal(String module, String name) {
    this.module = module;
    this.name = name;
  }

  /**
   * The global {@code module.name}.
   *
   * @throws UnpicklingException naming it, if it is not on the list
   */
  static AllowedGlobal resolve(String module, String name) {
    String python3Module = module.equals("__builtin__") ? "builtins" : module; // protocols 0-2
    for (AllowedGlobal g : values()) {
      if (g.module.equals(python3Module) && g.name.equals(name)) {
        return g;
      }
    }
    throw refused(module, name);
  }

  /** The refusal of {@code module.name}: proxies get their own words. */
  static UnpicklingException refused(String module, String name) {
    String global = module + "." + name;
    if (module.equals("multiprocessing.managers")) {
      return new UnpicklingException("TypeError: " + global + " in a request: proxies and tokens"
          + " cannot be sent to the Python gateway; send plain values", global, null);
    }
    return new UnpicklingException("global '" + global + "' is not allowed: the Python gateway"
        + " unpickles only str, int, float, bool, None, bytes, list, tuple, dict, set and"
        + " frozenset", global, null);
  }

  /** {@code module.name(*args)}. */
  Object call(List<?> args) {
    return switch (this) {
      case SET -> {
        Set<Object> set = new LinkedHashSet<>();
        for (Object item : iterable(args)) {
          set.add(PickleReader.hashable(item));
        }
        yield set;
      }
      case FROZENSET -> PythonFrozenSet.copyOf(iterable(args));
      case BYTES -> {
        if (!args.isEmpty()) {
          throw new UnpicklingException("builtins.bytes is allowed with no arguments only");
        }
        yield new byte[0];
      }
      case CODECS_ENCODE -> latin1(args);
    };
  }

  private List<?> iterable(List<?> args) {
    if (args.isEmpty()) {
      return List.of();
    }
    if (args.size() == 1 && args.get(0) instanceof List<?> items) {
      return items;
    }
    throw new UnpicklingException(module + "." + name + " is allowed with one list argument only");
  }

  /** {@code _codecs.encode(text, 'latin1')}: how protocols 0-2 carry {@code bytes}. */
  private static byte[] latin1(List<?> args) {
    if (args.size() != 2 || !(args.get(0) instanceof String text)
        || !(args.get(1) instanceof String codec)
        || !(codec.equals("latin1") || codec.equals("latin-1"))) {
      throw new UnpicklingException("_codecs.encode is allowed as (str, 'latin1') only");
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        throw new UnpicklingException("_codecs.encode: the text is not latin-1");
      }
    }
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Where a pickle leaves a global on its stack as a value, the checks name it so. */
  @Override
  public String toString() {
    return "the global " + module + "." + name;
  }
}
