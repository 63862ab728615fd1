package io.jmanager.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * User types from config (Python's {@code register()} for the standalone daemon): {@code
 * types.<typeid>=<class>}, the class found on the daemon's classpath or in a jar in {@code lib.dir}.
 * Its proxy interface is the one interface the class implements, or {@code
 * types.<typeid>.interface}. Each name gets a new instance from the public no-arg constructor.
 */
final class UserTypes {
  private UserTypes() {}

  /** A loader over the jars in {@code libDir} (if it exists), parent: the daemon's own. */
  static ClassLoader loader(Path libDir) {
    if (libDir == null || !Files.isDirectory(libDir)) {
      return UserTypes.class.getClassLoader();
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(libDir)) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
        jars.add(p.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list lib.dir " + libDir, e);
    }
    return jars.isEmpty()
        ? UserTypes.class.getClassLoader()
        : new URLClassLoader(jars.toArray(URL[]::new), UserTypes.class.getClassLoader());
  }

  static void registerAll(Types types, Map<String, String> classes, Map<String, String> interfaces, ClassLoader loader) {
    classes.forEach((typeid, className) -> register(types, typeid, className, interfaces.get(typeid), loader));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register(Types types, String typeid, String className, String ifaceName, ClassLoader loader) {
    try {
      Class<?> impl = Class.forName(className, true, loader);
      Class<?> iface = ifaceName != null ? Class.forName(ifaceName, true, loader) : soleInterface(typeid, impl);
      if (!iface.isAssignableFrom(impl)) {
        throw new IllegalArgumentException(className + " does not implement " + iface.getName());
      }
      Constructor<?> ctor = impl.getConstructor();
      types.register(typeid, (Class) iface, () -> {
        try {
          return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot create " + className + ": " + e.getCause(), e);
        }
      });
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "types." + typeid + ": class " + e.getMessage() + " not found on the daemon's classpath or in lib.dir", e);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("types." + typeid + ": " + className + " needs a public no-arg constructor", e);
    }
  }

  private static Class<?> soleInterface(String typeid, Class<?> impl) {
    Class<?>[] ifaces = impl.getInterfaces();
    if (ifaces.length != 1) {
      throw new IllegalArgumentException(
          "types." + typeid + ": " + impl.getName() + " implements " + Arrays.toString(ifaces)
              + "; name the proxy interface with types." + typeid + ".interface");
    }
    return ifaces[0];
  }
}
