package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The Python gateway's codec: CPython's pickles in, pickles out, for the messages of {@code
 * multiprocessing.managers} and the values they carry. Reads protocols 0-5 (CPython 3.8-3.13's
 * {@code multiprocessing} sends protocol 4); writes protocol 4. Thread-safe and stateless: each
 * call uses its own reader or writer. Decoded values are fresh objects the caller owns.
 *
 * <h2>Values</h2>
 *
 * <table>
 *   <caption>Python and Java types</caption>
 *   <tr><th>Python</th><th>decoded as</th><th>encoded from</th></tr>
 *   <tr><td>{@code str}</td><td>{@code String}</td><td>{@code String}</td></tr>
 *   <tr><td>{@code int}</td><td>{@code Integer} if it fits, else {@code Long} if it fits, else
 *       {@code BigInteger} (always the smallest: see {@link #pythonInt})</td>
 *       <td>{@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code
 *       BigInteger}</td></tr>
 *   <tr><td>{@code float}</td><td>{@code Double}</td><td>{@code Double}, {@code Float}</td></tr>
 *   <tr><td>{@code bool}</td><td>{@code Boolean}</td><td>{@code Boolean}</td></tr>
 *   <tr><td>{@code None}</td><td>{@code null}</td><td>{@code null}</td></tr>
 *   <tr><td>{@code bytes}</td><td>{@code byte[]}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code list}</td><td>{@code ArrayList}</td><td>any other {@code List}</td></tr>
 *   <tr><td>{@code tuple}</td><td>{@link PythonTuple}</td><td>{@link PythonTuple} only</td></tr>
 *   <tr><td>{@code dict}</td><td>{@code LinkedHashMap} (Python's order)</td><td>any {@code Map}
 *       (its iteration order)</td></tr>
 *   <tr><td>{@code set}</td><td>{@code LinkedHashSet}</td><td>any other {@code Set}</td></tr>
 *   <tr><td>{@code frozenset}</td><td>{@link PythonFrozenSet}</td><td>{@link PythonFrozenSet}
 *       only</td></tr>
 * </table>
 *
 * A Java {@code List} is a Python list unless it is a {@link PythonTuple}, whatever else it is
 * ({@code List.of(...)} included): tuples are the marker type, so a tuple decoded and encoded
 * again stays a tuple, and a list stays a list. {@code bytearray}, {@code complex}, {@code
 * Decimal}, dates, class instances and every other Python type are refused on the way in; every
 * other Java type (arrays, {@code Character}, records, ...) on the way out, with a {@link
 * PicklingException} naming its class.
 *
 * <h2>Keys</h2>
 *
 * Python's {@code 1 == 1.0 == True} (and {@code 0 == 0.0 == -0.0 == False}) makes those one dict
 * key; in Java {@code Integer 1}, {@code Double 1.0} and {@code Boolean true} are three. Decoding
 * is exact (a Python dict never holds two keys Java would merge, and each Python int has one Java
 * form), but a Java map holding keys that Python finds equal arrives with one of them, the last
 * written, holding its value. A tuple key is a {@link PythonTuple} and a frozenset key a {@link
 * PythonFrozenSet}: both compare and hash by value. A {@code bytes} key decodes to a {@code
 * byte[]}, which Java compares by identity: whoever stores decoded keys must wrap or refuse
 * those. Keys (and set elements) that Python cannot hash, such as a Java {@code List} that is not
 * a tuple, are refused on the way out, where Python would fail to load them. Floats compare as
 * {@link Double#equals} does (NaN equals NaN, -0.0 differs from 0.0), unlike Python's {@code ==}.
 *
 * <h2>Strings</h2>
 *
 * UTF-8 with Python's {@code surrogatepass}: a lone surrogate goes both ways unchanged. A Python
 * {@code str} holding a surrogate pair as two code points (possible in Python only by building it
 * so) arrives as the Java pair, that is as the supplementary character, and goes back as that.
 *
 * <h2>Safety</h2>
 *
 * The reader resolves only {@code builtins.set}, {@code builtins.frozenset}, {@code
 * builtins.bytes} (no arguments) and {@code _codecs.encode} (str and {@code 'latin1'}), the
 * globals CPython writes for those types at protocols 0-3, and never constructs any other object:
 * anything else ({@code os.system}, {@code builtins.eval}, any class instance) fails with an
 * {@link UnpicklingException} naming the global ({@link UnpicklingException#refusedGlobal()}).
 * Proxies passed as arguments pickle as {@code multiprocessing.managers.RebuildProxy} and are
 * refused the same way, with a message saying proxies cannot be sent. Values nested deeper than
 * the limit or containing themselves are refused, and so is a value that shares its parts so
 * much that, unfolded (as Kryo and this codec's writer write it, without references), it would
 * have more elements than its pickle has bytes (or 65536, if that is more).
 * Counted strings and bytes longer than the rest of the pickle are refused before any allocation.
 * The writer writes no global except {@code multiprocessing.managers.Token} and the {@link
 * PythonError.Kind} exception types.
 */
public final class PythonPickle {
  /** The default nesting limit, as the daemon's {@code max.depth}. */
  public static final int DEFAULT_MAX_DEPTH = 256;

  /**
   * The fewest elements a decoded value may unfold to, whatever its pickle's length: with shared
   * parts counted each time they appear, a value may have as many elements as its pickle has
   * bytes, or this many.
   */
  static final long ELEMENTS_FLOOR = 1 << 16;

  private final int maxDepth;

  /** A codec with the {@link #DEFAULT_MAX_DEPTH}. */
  public PythonPickle() {
    this(DEFAULT_MAX_DEPTH);
  }

  /**
   * @param maxDepth the deepest nesting of containers in one pickle, the message's own tuple
   *     included (a request's arguments sit two levels down)
   */
  public PythonPickle(int maxDepth) {
    if (maxDepth < 2) {
      throw new IllegalArgumentException("max depth must be at least 2, got " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  /**
   * Reads one pickled value.
   *
   * @throws UnpicklingException if the pickle is malformed or holds anything outside the table
   */
  public Object decode(byte[] pickle) {
    return decode(pickle, 0, pickle.length);
  }

  /** Reads the pickled value in {@code pickle[offset, offset + length)}; as {@link #decode}. */
  public Object decode(byte[] pickle, int offset, int length) {
    Object value;
    try {
      value = new PickleReader(maxDepth).read(pickle, offset, length);
    } catch (UnpicklingException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // razorvine's own errors (truncation, a bad memo key, a wrong type on its stack) and ours
      throw new UnpicklingException("malformed pickle: " + e.getMessage(), null, e);
    }
    Nesting.check(value, maxDepth, Math.max(length, ELEMENTS_FLOOR));
    return value;
  }

  /**
   * Reads a request: the tuple {@code (ident, methodname, args, kwds)}.
   *
   * @throws UnpicklingException as {@link #decode}, or if the value is not a request's shape
   */
  public PythonRequest decodeRequest(byte[] pickle) {
    return decodeRequest(pickle, 0, pickle.length);
  }

  /** Reads the request in {@code pickle[offset, offset + length)}; as {@link #decodeRequest}. */
  @SuppressWarnings("unchecked")
  public PythonRequest decodeRequest(byte[] pickle, int offset, int length) {
    Object value = decode(pickle, offset, length);
    if (!(value instanceof List<?> r) || r.size() != 4) {
      throw new UnpicklingException("a request is a tuple (ident, methodname, args, kwds)");
    }
    if (r.get(0) != null && !(r.get(0) instanceof String)) {
      throw new UnpicklingException("a request's ident is a str or None");
    }
    if (!(r.get(1) instanceof String methodName)) {
      throw new UnpicklingException("a request's methodname is a str");
    }
    if (!(r.get(2) instanceof List<?>)) {
      throw new UnpicklingException("a request's args are a tuple");
    }
    if (!(r.get(3) instanceof Map<?, ?> kwds)
        || !kwds.keySet().stream().allMatch(k -> k instanceof String)) {
      throw new UnpicklingException("a request's kwds are a dict with str keys");
    }
    return new PythonRequest(
        (String) r.get(0), methodName, (List<Object>) r.get(2), (Map<String, Object>) kwds);
  }

  /**
   * Pickles one value.
   *
   * @throws PicklingException if it holds a type outside the table, a key Python cannot hash, or
   *     nests deeper than the limit
   */
  public byte[] encode(Object value) {
    return new PickleWriter(maxDepth).value(value);
  }

  /** Pickles a reply; as {@link #encode} for the value it carries. */
  public byte[] encodeReply(PythonReply reply) {
    return new PickleWriter(maxDepth).reply(reply);
  }

  /**
   * The one Java form of a Python int: {@code Integer} if it fits, else {@code Long} if it fits,
   * else {@code BigInteger}. Whoever compares a decoded key with Java-made ones normalizes those
   * with this.
   *
   * @param integer an {@code Integer}, {@code Long}, {@code Short}, {@code Byte} or {@code
   *     BigInteger}
   * @throws IllegalArgumentException for any other {@code Number}
   */
  public static Number pythonInt(Number integer) {
    if (integer instanceof Integer) {
      return integer;
    }
    if (!(integer instanceof Long || integer instanceof Short || integer instanceof Byte
        || integer instanceof BigInteger)) {
      throw new IllegalArgumentException("not an integer type: " + integer.getClass().getName());
    }
    if (integer instanceof BigInteger b) {
      if (b.bitLength() < Integer.SIZE) {
        return b.intValue();
      }
      return b.bitLength() < Long.SIZE ? (Number) b.longValue() : b;
    }
    long v = integer.longValue(); // Long, Short, Byte
    return v == (int) v ? (Number) (int) v : (Number) v;
  }
}
