package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Razorvine's unpickler, restricted to the value table of {@link PythonPickle}. Every opcode that
 * names or calls a global is taken over here ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST},
 * {@code OBJ}, {@code REDUCE}) and resolved against {@link AllowedGlobal}, the only callables a
 * pickle can reach; the opcodes that would build an arbitrary object or call back into the host
 * ({@code NEWOBJ}, {@code NEWOBJ_EX}, {@code BUILD}, persistent ids, extension codes, out-of-band
 * buffers, {@code BYTEARRAY8}) are refused. The library's static constructor registry is never
 * consulted, so nothing here depends on, or changes, its global state. Containers are built as the
 * table says (dicts and sets keep their order, tuples are {@link PythonTuple}); counted strings and
 * bytes are checked against what remains of the input before anything is allocated. The other
 * opcodes (memo, marks, small ints, floats, booleans, lists) are razorvine's. One instance per
 * pickle.
 */
final class PickleReader extends Unpickler {
  /** CPython's default {@code sys.int_info.default_max_str_digits}, for text-form ints. */
  private static final int MAX_INT_DIGITS = 4300;

  private final int maxDepth;
  private ByteArrayInputStream in;

  /** Tuples and frozensets will nest at most {@code maxDepth} deep: see {@link #immutable}. */
  PickleReader(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  Object read(byte[] pickle, int offset, int length) throws IOException {
    in = new ByteArrayInputStream(pickle, offset, length);
    return load(in);
  }

  @Override
  protected Object dispatch(short key) throws IOException {
    refuseObjectOpcodes(key);
    if (readGlobalOrCall(key) || readContainer(key) || readScalar(key)) {
      return NO_RETURN_VALUE;
    }
    return super.dispatch(key);
  }

  private static void refuseObjectOpcodes(short key) {
    switch (key) {
      case Opcodes.NEWOBJ, Opcodes.NEWOBJ_EX, Opcodes.BUILD -> throw new UnpicklingException(
          "objects other than the plain value types cannot be sent to the Python gateway"
              + " (opcode " + (key == Opcodes.BUILD ? "BUILD" : "NEWOBJ") + ")");
      case Opcodes.PERSID, Opcodes.BINPERSID -> throw new UnpicklingException(
          "persistent ids are not supported");
      case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw new UnpicklingException(
          "copyreg extension codes are not supported");
      case Opcodes.NEXT_BUFFER, Opcodes.READONLY_BUFFER -> throw new UnpicklingException(
          "out-of-band buffers are not supported");
      case Opcodes.BYTEARRAY8 -> throw AllowedGlobal.refused("builtins", "bytearray");
      default -> { }
    }
  }

  private boolean readGlobalOrCall(short key) throws IOException {
    switch (key) {
      case Opcodes.GLOBAL -> stack.add(AllowedGlobal.resolve(line(), line()));
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new UnpicklingException("STACK_GLOBAL needs two strings");
        }
        stack.add(AllowedGlobal.resolve(m, n));
      }
      case Opcodes.INST -> {
        AllowedGlobal g = AllowedGlobal.resolve(line(), line());
        stack.add(immutable(g.call(stack.pop_all_since_marker())));
      }
      case Opcodes.OBJ -> {
        List<Object> items = stack.pop_all_since_marker();
        if (items.isEmpty()) {
          throw new UnpicklingException("OBJ without a callable");
        }
        stack.add(immutable(call(items.get(0), items.subList(1, items.size()))));
      }
      case Opcodes.REDUCE -> {
        Object args = stack.pop();
        Object callable = stack.pop();
        if (!(args instanceof PythonTuple tuple)) {
          throw new UnpicklingException("REDUCE needs an argument tuple");
        }
        stack.add(immutable(call(callable, tuple)));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private boolean readContainer(short key) {
    switch (key) {
      case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
      case Opcodes.DICT -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        putPairs(map, stack.pop_all_since_marker());
        stack.add(map);
      }
      case Opcodes.SETITEM -> {
        Object value = stack.pop();
        Object k = stack.pop();
        map(stack.peek()).put(hashable(k), value);
      }
      case Opcodes.SETITEMS -> {
        List<Object> pairs = stack.pop_all_since_marker();
        putPairs(map(stack.peek()), pairs);
      }
      case Opcodes.EMPTY_SET -> stack.add(new LinkedHashSet<>());
      case Opcodes.ADDITEMS -> {
        List<Object> items = stack.pop_all_since_marker();
        Set<Object> set = set(stack.peek());
        for (Object item : items) {
          set.add(hashable(item));
        }
      }
      case Opcodes.FROZENSET ->
          stack.add(immutable(PythonFrozenSet.copyOf(stack.pop_all_since_marker())));
      case Opcodes.EMPTY_TUPLE -> stack.add(PythonTuple.of());
      case Opcodes.TUPLE -> stack.add(immutable(PythonTuple.copyOf(stack.pop_all_since_marker())));
      case Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3 -> {
        Object[] items = new Object[key - Opcodes.TUPLE1 + 1];
        for (int i = items.length - 1; i >= 0; i--) {
          items[i] = stack.pop();
        }
        stack.add(immutable(PythonTuple.of(items)));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private boolean readScalar(short key) throws IOException {
    switch (key) {
      case Opcodes.LONG -> stack.add(PythonPickle.pythonInt(textInt(line())));
      case Opcodes.LONG1 -> stack.add(PythonPickle.pythonInt(littleEndian(counted(1))));
      case Opcodes.LONG4 -> stack.add(PythonPickle.pythonInt(littleEndian(counted(4))));
      case Opcodes.FLOAT -> stack.add(textFloat(line()));
      case Opcodes.SHORT_BINUNICODE -> stack.add(Utf8.decode(counted(1)));
      case Opcodes.BINUNICODE -> stack.add(Utf8.decode(counted(4)));
      case Opcodes.BINUNICODE8 -> stack.add(Utf8.decode(counted(8)));
      case Opcodes.SHORT_BINBYTES -> stack.add(counted(1));
      case Opcodes.BINBYTES -> stack.add(counted(4));
      case Opcodes.BINBYTES8 -> stack.add(counted(8));
      case Opcodes.BINSTRING -> stack.add(new String(counted(4), StandardCharsets.ISO_8859_1));
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * A new tuple or frozenset, refused at once if it nests deeper than the limit: it may become a
   * dict key, whose {@code equals} recurses as deep as it nests, before {@link Nesting} runs.
   */
  private Object immutable(Object value) {
    if (PythonTuple.nesting(value) > maxDepth) {
      throw Nesting.tooDeep(maxDepth);
    }
    return value;
  }

  private static Object call(Object callable, List<?> args) {
    if (!(callable instanceof AllowedGlobal g)) {
      throw new UnpicklingException("a pickle called something that is not callable: "
          + (callable == null ? "None" : callable.getClass().getSimpleName()));
    }
    return g.call(args);
  }

  /** A dict key or set element: refused where Python raises {@code unhashable type}. */
  static Object hashable(Object o) {
    if (!PythonTuple.isHashable(o)) {
      throw new UnpicklingException(
          "unhashable type as a dict key or set element: " + o.getClass().getSimpleName());
    }
    return o;
  }

  private static void putPairs(Map<Object, Object> map, List<Object> pairs) {
    if (pairs.size() % 2 != 0) {
      throw new UnpicklingException("odd number of items for a dict");
    }
    for (int i = 0; i < pairs.size(); i += 2) {
      map.put(hashable(pairs.get(i)), pairs.get(i + 1));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object o) {
    if (!(o instanceof LinkedHashMap<?, ?>)) {
      throw new UnpicklingException("SETITEM on something other than a dict");
    }
    return (Map<Object, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Set<Object> set(Object o) {
    if (!(o instanceof LinkedHashSet<?>)) {
      throw new UnpicklingException("ADDITEMS on something other than a set");
    }
    return (Set<Object>) o;
  }

  private String line() throws IOException {
    return PickleUtils.readline(input);
  }

  /** The bytes of a counted opcode whose little-endian count has {@code countBytes} bytes. */
  private byte[] counted(int countBytes) throws IOException {
    byte[] count = exactly(countBytes);
    long n = 0;
    for (int i = countBytes - 1; i >= 0; i--) {
      n = n << 8 | count[i] & 0xFF;
    }
    if (countBytes == 4) {
      n = (int) n; // 4-byte counts are signed, as CPython reads BINSTRING and LONG4
    }
    if (n < 0 || n > in.available()) {
      throw new UnpicklingException("a counted opcode announces " + Long.toUnsignedString(n)
          + " bytes, " + in.available() + " remain");
    }
    return exactly((int) n);
  }

  private byte[] exactly(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new UnpicklingException("pickle data was truncated");
    }
    return b;
  }

  private static BigInteger littleEndian(byte[] twosComplement) {
    if (twosComplement.length == 0) {
      return BigInteger.ZERO;
    }
    byte[] bigEndian = new byte[twosComplement.length];
    for (int i = 0; i < bigEndian.length; i++) {
      bigEndian[i] = twosComplement[twosComplement.length - 1 - i];
    }
    return new BigInteger(bigEndian);
  }

  private static BigInteger textInt(String text) {
    String digits = text.endsWith("L") ? text.substring(0, text.length() - 1) : text;
    if (digits.length() > MAX_INT_DIGITS + 1) {
      throw new UnpicklingException("an int of more than " + MAX_INT_DIGITS + " digits");
    }
    try {
      return new BigInteger(digits);
    } catch (NumberFormatException e) {
      throw new UnpicklingException("not an int: " + digits, null, e);
    }
  }

  /** A float as protocol 0 writes it: Python's {@code repr}, which spells out inf and nan. */
  private static Double textFloat(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "inf", "+inf", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan", "-nan", "+nan" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new UnpicklingException("not a float: " + text, null, e);
        }
      }
    }
  }
}
