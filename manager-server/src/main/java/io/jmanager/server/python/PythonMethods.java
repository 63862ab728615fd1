package io.jmanager.server.python;

import io.jmanager.client.PythonTuple;
import io.jmanager.server.python.PythonError.Kind;
import io.jmanager.wire.MethodTable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the Python gateway serves a CPython proxy's request {@code (ident, methodname, args, kwds)}
 * on a daemon object: as calls of the Java interface of the object's type ({@code SharedDict},
 * {@code SharedList}, {@code SharedQueue}, {@code JoinableQueue}, {@code SharedLock}, {@code
 * SharedValue}), run through the daemon's normal call path, so journaling, parked waits and lock
 * owners work as for a Java client. Every method chosen is one the daemon serves (an abstract
 * method of the interface's {@link MethodTable}; never a default method, which runs in a Java
 * client). The mapping, method by method, is in {@link DictMethods}, {@link ListMethods}, {@link
 * QueueMethods}, {@link LockMethods} and {@link ValueMethods}.
 *
 * <p><b>Running a plan.</b> {@link #plan} binds the Python arguments as CPython would and answers a
 * {@link Plan}: call {@link Plan#method()} with {@link Plan#args()} on the object (a {@link
 * Plan#isLocal() local} plan makes no call), then give the answer to {@link Plan#result()}, or the
 * daemon's failure to {@link Plan#failure()}. Either returns the Python value to send back ({@code
 * '#RETURN'}; an {@link IteratorOver} becomes a {@code '#PROXY'} for typeid {@code Iterator}), or a
 * further {@code Plan} to run the same way, or throws {@link PythonException}: send {@code
 * ('#ERROR', e.error())}. {@code plan} itself throws {@code PythonException} for a call Python
 * would refuse (a wrong argument, an unexposed method).
 *
 * <p><b>Atomicity.</b> A plan of one call is as atomic as that daemon method. A few Python methods
 * take two calls where the daemon has no single one, each named in its class's javadoc: a list's
 * negative-index mutations and {@code pop()} read the size first. None writes back what it read (no
 * read-modify-write across calls); methods that would need that ({@code list.reverse()}, {@code lst
 * *= n} for n above 1) are refused with a {@code RuntimeError} that says why.
 *
 * <p>Stateless and thread-safe; plans are immutable except for their {@code args} array, which the
 * caller owns.
 */
public final class PythonMethods {
  private PythonMethods() {}

  /**
   * How to serve one Python method.
   *
   * @param method the interface method to call on the object; null for a local plan
   * @param args its arguments, already converted to its parameter types (boxed)
   * @param result maps the method's result (null for a local plan, or a void method) to the Python
   *     value, or to the next {@code Plan}; throws {@link PythonException}
   * @param failure maps the daemon's failure of the call, as the gateway received it, the same way;
   *     by default throws {@link #translate}'s error
   */
  public record Plan(
      Method method,
      Object[] args,
      Function<Object, Object> result,
      Function<Throwable, Object> failure) {
    public Plan {
      Objects.requireNonNull(args, "args");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(failure, "failure");
    }

    /** Whether the plan makes no call: apply {@link #result()} to null at once. */
    public boolean isLocal() {
      return method == null;
    }

    /**
     * A call of {@code method} whose result is the Python value, and whose failure is translated.
     */
    static Plan call(Method method, Object... args) {
      return new Plan(method, args, r -> r, PythonMethods::fail);
    }

    /** An answer without a call. */
    static Plan answer(Object pythonValue) {
      return new Plan(null, new Object[0], r -> pythonValue, PythonMethods::fail);
    }

    /** This call, with {@code result} mapping its result. */
    Plan then(Function<Object, Object> mapping) {
      return new Plan(method, args, mapping, failure);
    }

    /** This call, answering Python's {@code None} (its Java result is dropped). */
    Plan thenNone() {
      return then(r -> null);
    }

    /**
     * This call, with a failure of {@code type} mapped by {@code onFailure}, any other translated.
     */
    Plan onFailure(Class<? extends Throwable> type, Supplier<Object> onFailure) {
      return new Plan(
          method, args, result, t -> type.isInstance(unwrap(t)) ? onFailure.get() : fail(t));
    }

    @Override
    public String toString() {
      return isLocal() ? "Plan[local]" : "Plan[" + method.getName() + Arrays.toString(args) + "]";
    }
  }

  /**
   * A Python iterator over {@code items} (a snapshot), answered as a {@code '#PROXY'} of typeid
   * {@link #TYPEID}, whose proxy sends {@code __next__} ({@code StopIteration} after the last
   * item), {@code send}, {@code throw} and {@code close}. What {@code iter(d)} on a shared dict
   * returns: CPython's {@code DictProxy} maps {@code __iter__} to {@code 'Iterator'}.
   */
  public record IteratorOver(List<Object> items) {
    /** The typeid CPython's {@code SyncManager} registers {@code IteratorProxy} under. */
    public static final String TYPEID = "Iterator";

    /** {@code IteratorProxy._exposed_}. */
    public static final List<String> EXPOSED = List.of("__next__", "send", "throw", "close");

    public IteratorOver {
      items = Collections.unmodifiableList(items);
    }
  }

  /** The Python methods of each daemon typeid the gateway serves. */
  private static final Map<String, PythonType> TYPES =
      Map.of(
          "dict", new DictMethods(),
          "list", new ListMethods(),
          "queue", new QueueMethods(false),
          "joinable-queue", new QueueMethods(true),
          "lock", new LockMethods("_thread.lock"),
          "rlock", new LockMethods("_thread.RLock"),
          "value", new ValueMethods());

  /** The Python methods of one daemon type: what {@link PythonMethods} delegates to. */
  interface PythonType {
    /** The class a CPython server would hold ({@code queue.Queue}), for messages. */
    String pythonClass();

    /** The methods the proxy may send, sorted as CPython's {@code public_methods} lists them. */
    List<String> exposed();

    /** The plan for {@code method}, which is exposed or a fallback; null if the type has none. */
    Plan plan(String method, PythonArgs args);
  }

  /** The typeids {@link #exposed} and {@link #plan} know: dict, list, queue, lock, ... */
  public static Set<String> typeids() {
    return TYPES.keySet();
  }

  /**
   * The methods the gateway's {@code create} answers for an object of {@code typeid}, and accepts
   * in its requests: for the queues, what CPython's {@code AutoProxy} turns into methods ({@code
   * put}, {@code get}, ...; {@code task_done} and {@code join} only for {@code joinable-queue});
   * for the others, their proxy class's {@code _exposed_} (CPython 3.8 to 3.14's union).
   *
   * @throws IllegalArgumentException if the gateway serves no type {@code typeid}
   */
  public static List<String> exposed(String typeid) {
    return type(typeid).exposed();
  }

  /**
   * How to serve {@code methodname(*args, **kwds)} on an object of daemon type {@code typeid}.
   * Besides the exposed methods, plans CPython's fallbacks {@code __repr__}, {@code __str__} (what
   * {@code print(proxy)} sends) and {@code #GETVALUE} ({@code proxy._getvalue()}).
   *
   * @param args the positional arguments (null: none)
   * @param kwds the keyword arguments (null: none)
   * @throws PythonException for a call Python refuses: a wrong argument ({@code TypeError}, {@code
   *     ValueError}), a value the daemon cannot hold ({@code None} in a dict or queue), or a method
   *     not exposed ({@code AttributeError} worded as CPython's server words it; that server sends
   *     it as {@code '#TRACEBACK'} text ending in {@link PythonException#formatted()})
   * @throws IllegalArgumentException if the gateway serves no type {@code typeid}
   */
  public static Plan plan(
      String typeid, String methodname, List<Object> args, Map<String, Object> kwds) {
    PythonType type = type(typeid);
    boolean fallback =
        methodname.equals("__repr__")
            || methodname.equals("__str__")
            || methodname.equals("#GETVALUE");
    Plan plan =
        type.exposed().contains(methodname) || fallback
            ? type.plan(methodname, new PythonArgs(function(type, methodname), args, kwds))
            : null;
    if (plan == null) {
      throw PythonException.of(
          Kind.ATTRIBUTE_ERROR,
          "method "
              + PythonRepr.repr(methodname)
              + " of <class '"
              + type.pythonClass()
              + "'> object is not in exposed="
              + PythonRepr.repr(PythonTuple.copyOf(type.exposed())));
    }
    return plan;
  }

  /**
   * The Python exception for a daemon failure that no plan maps itself: {@code
   * IllegalMonitorStateException} is a {@code RuntimeError} (releasing a lock not held), {@code
   * IndexOutOfBoundsException} an {@code IndexError}, {@code NoSuchElementException} a {@code
   * KeyError}, {@code NullPointerException} and {@code ClassCastException} a {@code TypeError}
   * ({@code ClassCastException} is how {@link PythonOrder} refuses to compare), {@code
   * IllegalArgumentException} a {@code ValueError}, {@code IllegalStateException} a {@code
   * RuntimeError}; each with the daemon's message. Anything else is a {@code
   * multiprocessing.managers.RemoteError} naming the Java exception and its message, as CPython's
   * proxy raises {@code RemoteError} for a failure its server reports as text. Wrappers ({@code
   * InvocationTargetException}, {@code CompletionException}, ...) are looked through.
   */
  public static PythonError translate(Throwable daemonFailure) {
    Throwable t = unwrap(daemonFailure);
    if (t instanceof PythonException p) {
      return p.error();
    }
    Kind kind = kindOf(t);
    if (kind == null) {
      return PythonError.of(
          Kind.REMOTE_ERROR,
          "the daemon failed the call with "
              + t.getClass().getName()
              + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }
    return PythonError.of(
        kind, Objects.requireNonNullElse(t.getMessage(), t.getClass().getSimpleName()));
  }

  /** The builtin Python exception a JDK exception type means; null if none does. */
  private static Kind kindOf(Throwable t) {
    if (t instanceof IllegalMonitorStateException || t instanceof IllegalStateException) {
      return Kind.RUNTIME_ERROR;
    }
    if (t instanceof IndexOutOfBoundsException) {
      return Kind.INDEX_ERROR;
    }
    if (t instanceof NoSuchElementException) {
      return Kind.KEY_ERROR;
    }
    if (t instanceof NullPointerException || t instanceof ClassCastException) {
      return Kind.TYPE_ERROR;
    }
    return t instanceof IllegalArgumentException ? Kind.VALUE_ERROR : null;
  }

  /** The default failure mapping: always throws {@link #translate}'s error. */
  static Object fail(Throwable daemonFailure) {
    throw new PythonException(translate(daemonFailure));
  }

  /** The cause a wrapper carries, all the way down. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof InvocationTargetException
            || t instanceof UndeclaredThrowableException
            || t instanceof CompletionException
            || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * {@code iface.name(params)}, checked to be a method the daemon serves (abstract, in the
   * interface's {@link MethodTable}): a rename fails when the planning class loads, in any test.
   */
  static Method remote(Class<?> iface, String name, Class<?>... params) {
    try {
      Method m = iface.getMethod(name, params);
      if (MethodTable.of(iface).idOf(m) < 0) {
        throw new IllegalStateException(
            iface.getName()
                + "."
                + name
                + Arrays.toString(params)
                + " is not served by the daemon (a default or local method)");
      }
      return m;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          iface.getName() + " has no " + name + Arrays.toString(params), e);
    }
  }

  /** {@code Queue.put}: how Python names the method in its messages. */
  private static String function(PythonType type, String methodname) {
    String cls = type.pythonClass();
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + methodname;
  }

  private static PythonType type(String typeid) {
    PythonType type = TYPES.get(typeid);
    if (type == null) {
      throw new IllegalArgumentException(
          "the Python gateway serves no type '"
              + typeid
              + "'; it serves "
              + new TreeSet<>(TYPES.keySet()));
    }
    return type;
  }
}
