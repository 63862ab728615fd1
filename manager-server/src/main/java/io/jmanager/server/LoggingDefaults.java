package io.jmanager.server;

import java.lang.reflect.Method;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded daemon quiet when its user has not configured logging. The libraries use
 * slf4j-api only, but a program that has logback on its classpath and no configuration file gets
 * logback's default: everything at DEBUG, Netty's start-up chatter included. When that is the case,
 * the loggers of jmanager and Netty are set to INFO; nothing else changes, and a program with any
 * logback configuration (a file, {@code -Dlogback.configurationFile}, a configurator service) is
 * left exactly as configured. Other backends (slf4j-simple, log4j, none) have quiet defaults and are
 * not touched. This must run before the first Netty class initializes, as Netty logs at its
 * initialization: {@link ManagerServer}'s static initializer calls it.
 */
final class LoggingDefaults {
  /** The loggers set to INFO under logback's default configuration. */
  static final List<String> QUIETED = List.of("io.netty", "io.jmanager");

  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private LoggingDefaults() {}

  static void apply() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!factory.getClass().getName().equals(LOGBACK_CONTEXT) || logbackConfigured(factory.getClass().getClassLoader())) {
      return;
    }
    try {
      ClassLoader loader = factory.getClass().getClassLoader();
      Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, loader);
      Object info = level.getField("INFO").get(null);
      for (String name : QUIETED) {
        Logger logger = LoggerFactory.getLogger(name);
        if (logger.isDebugEnabled()) {
          Method setLevel = logger.getClass().getMethod("setLevel", level);
          setLevel.invoke(logger, info);
        }
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // a logback this code does not know: leave its levels alone
    }
  }

  /** Whether logback found a configuration of its user's: the places its auto-configuration looks. */
  private static boolean logbackConfigured(ClassLoader loader) {
    if (System.getProperty("logback.configurationFile") != null) {
      return true;
    }
    for (ClassLoader l : new ClassLoader[] {loader, Thread.currentThread().getContextClassLoader()}) {
      if (l != null
          && (l.getResource("logback-test.xml") != null
              || l.getResource("logback.xml") != null
              || l.getResource("META-INF/services/ch.qos.logback.classic.spi.Configurator") != null)) {
        return true;
      }
    }
    return false;
  }
}
