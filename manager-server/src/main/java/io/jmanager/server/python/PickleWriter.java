package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.client.PythonFrozenSet;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.Opcodes;

/**
 * Writes the table of {@link PythonPickle} as a protocol 4 pickle, the protocol CPython 3.8-3.13's
 * {@code multiprocessing} itself sends (without the optional {@code FRAME} opcodes). Protocol 4
 * has opcodes for bytes, sets and frozensets, so the only globals this class ever writes are the
 * two constant kinds below: {@code multiprocessing.managers.Token} ({@link #token}) and the
 * exception types of {@link PythonError.Kind} ({@link #error}). No memo: a Java object referenced
 * twice is written twice, and a structure that contains itself fails on the depth limit. One
 * instance per pickle.
 */
final class PickleWriter {
  private static final int PROTOCOL = 4;
  private static final byte[] TOKEN = ascii("multiprocessing.managers\nToken\n");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
  private final int maxDepth;

  PickleWriter(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  byte[] value(Object value) {
    op(Opcodes.PROTO);
    out.write(PROTOCOL);
    write(value, 0);
    op(Opcodes.STOP);
    return out.toByteArray();
  }

  byte[] reply(PythonReply reply) {
    op(Opcodes.PROTO);
    out.write(PROTOCOL);
    if (reply instanceof PythonReply.Return r) {
      string("#RETURN");
      write(r.value(), 1);
    } else if (reply instanceof PythonReply.Error e) {
      string("#ERROR");
      error(e.error(), 1);
    } else if (reply instanceof PythonReply.Traceback t) {
      string("#TRACEBACK");
      string(t.text());
    } else if (reply instanceof PythonReply.Proxy p) {
      string("#PROXY");
      write(PythonTuple.copyOf(p.exposed()), 2);
      token(p.token(), 2);
      op(Opcodes.TUPLE2);
    } else {
      string("#UNSERIALIZABLE");
      string(((PythonReply.Unserializable) reply).text());
    }
    op(Opcodes.TUPLE2);
    op(Opcodes.STOP);
    return out.toByteArray();
  }

  /** Writes {@code v}, a value at nesting {@code depth} (the containers around it). */
  private void write(Object v, int depth) {
    if (v == null) {
      op(Opcodes.NONE);
    } else if (v instanceof Boolean b) {
      op(b ? Opcodes.NEWTRUE : Opcodes.NEWFALSE);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof Byte) {
      integer(((Number) v).longValue());
    } else if (v instanceof BigInteger b) {
      bigInteger(b);
    } else if (v instanceof Double || v instanceof Float) {
      op(Opcodes.BINFLOAT);
      bigEndian(Double.doubleToRawLongBits(((Number) v).doubleValue()), 8);
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof byte[] b) {
      counted(b, Opcodes.SHORT_BINBYTES, Opcodes.BINBYTES);
    } else if (v instanceof PythonTuple t) {
      tuple(t, enter(depth));
    } else if (v instanceof List<?> l) {
      op(Opcodes.EMPTY_LIST);
      items(l, enter(depth), Opcodes.APPENDS, false);
    } else if (v instanceof Map<?, ?> m) {
      dict(m, enter(depth));
    } else if (v instanceof PythonFrozenSet f) {
      op(Opcodes.MARK);
      for (Object item : f) {
        write(item, enter(depth));
      }
      op(Opcodes.FROZENSET);
    } else if (v instanceof Set<?> s) {
      op(Opcodes.EMPTY_SET);
      items(s, enter(depth), Opcodes.ADDITEMS, true);
    } else {
      throw new PicklingException("a " + v.getClass().getName() + " cannot be sent to Python: the"
          + " gateway sends only String, Integer, Long, Short, Byte, BigInteger, Double, Float,"
          + " Boolean, null, byte[], List, Map and Set");
    }
  }

  private int enter(int depth) {
    if (depth + 1 > maxDepth) {
      throw new PicklingException("a value nested deeper than " + maxDepth
          + " levels (or one that contains itself) cannot be sent to Python");
    }
    return depth + 1;
  }

  private void tuple(List<?> t, int depth) {
    switch (t.size()) {
      case 0 -> op(Opcodes.EMPTY_TUPLE);
      case 1, 2, 3 -> {
        for (Object item : t) {
          write(item, depth);
        }
        op((short) (Opcodes.TUPLE1 + t.size() - 1));
      }
      default -> {
        op(Opcodes.MARK);
        for (Object item : t) {
          write(item, depth);
        }
        op(Opcodes.TUPLE);
      }
    }
  }

  /** The items of a list or set (already on the stack, empty) and the opcode that adds them. */
  private void items(Collection<?> items, int depth, short add, boolean asKeys) {
    if (items.isEmpty()) {
      return;
    }
    op(Opcodes.MARK);
    for (Object item : items) {
      write(asKeys ? hashable(item, "set element") : item, depth);
    }
    op(add);
  }

  private void dict(Map<?, ?> m, int depth) {
    op(Opcodes.EMPTY_DICT);
    if (m.isEmpty()) {
      return;
    }
    op(Opcodes.MARK);
    for (Map.Entry<?, ?> e : m.entrySet()) {
      write(hashable(e.getKey(), "dict key"), depth);
      write(e.getValue(), depth);
    }
    op(Opcodes.SETITEMS);
  }

  /** Python refuses to load an unhashable key, failing the client's call: refuse it here. */
  private static Object hashable(Object key, String role) {
    if (!PythonTuple.isHashable(key)) {
      throw new PicklingException("a " + role + " must be hashable in Python (str, int, float,"
          + " bool, None, bytes, PythonTuple, PythonFrozenSet), got a " + key.getClass().getName());
    }
    return key;
  }

  /** {@code Token.__new__(Token)}, then {@code __setstate__((typeid, address, id))}. */
  private void token(PythonToken token, int depth) {
    op(Opcodes.GLOBAL);
    out.writeBytes(TOKEN);
    op(Opcodes.EMPTY_TUPLE);
    op(Opcodes.NEWOBJ);
    tuple(List.of(token.typeid(), token.address(), token.id()), enter(depth));
    op(Opcodes.BUILD);
  }

  /** {@code Kind(*args)}, as CPython pickles an exception ({@code BaseException.__reduce__}). */
  private void error(PythonError error, int depth) {
    op(Opcodes.GLOBAL);
    out.writeBytes(ascii(error.kind().module() + "\n" + error.kind().qualifiedName() + "\n"));
    tuple(error.args(), enter(depth));
    op(Opcodes.REDUCE);
  }

  private void string(String s) {
    counted(Utf8.encode(s), Opcodes.SHORT_BINUNICODE, Opcodes.BINUNICODE);
  }

  private void counted(byte[] b, short shortForm, short longForm) {
    if (b.length < 256) {
      op(shortForm);
      out.write(b.length);
    } else {
      op(longForm);
      littleEndian(b.length, 4);
    }
    out.writeBytes(b);
  }

  private void integer(long v) {
    if (v >= 0 && v <= 0xFF) {
      op(Opcodes.BININT1);
      out.write((int) v);
    } else if (v >= 0 && v <= 0xFFFF) {
      op(Opcodes.BININT2);
      littleEndian(v, 2);
    } else if (v == (int) v) {
      op(Opcodes.BININT);
      littleEndian(v, 4);
    } else {
      bigInteger(BigInteger.valueOf(v));
    }
  }

  private void bigInteger(BigInteger b) {
    if (b.bitLength() < Integer.SIZE) {
      integer(b.intValue());
      return;
    }
    byte[] bigEndian = b.toByteArray(); // minimal two's complement, as Python's encode_long
    if (bigEndian.length < 256) {
      op(Opcodes.LONG1);
      out.write(bigEndian.length);
    } else {
      op(Opcodes.LONG4);
      littleEndian(bigEndian.length, 4);
    }
    for (int i = bigEndian.length - 1; i >= 0; i--) {
      out.write(bigEndian[i]);
    }
  }

  private void littleEndian(long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (v >>> 8 * i));
    }
  }

  private void bigEndian(long v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (v >>> 8 * i));
    }
  }

  private void op(short opcode) {
    out.write(opcode);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
