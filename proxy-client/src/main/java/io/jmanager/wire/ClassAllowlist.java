package io.jmanager.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which user classes a reading side accepts by name. Entries are exact class names
 * ({@code com.acme.Order}) or package prefixes ending in {@code .} or {@code .*}
 * ({@code com.acme.} and {@code com.acme.*} both allow every class under {@code com.acme}). Classes
 * registered in {@link WireKryo} are always accepted: they travel by id, never by name.
 */
public final class ClassAllowlist {
  private static final ClassAllowlist ANY = new ClassAllowlist(List.of(), true);

  private final List<String> exact;
  private final List<String> prefixes;
  private final boolean any;

  private ClassAllowlist(List<String> entries, boolean any) {
    this.any = any;
    this.exact = entries.stream().filter(e -> !isPrefix(e)).collect(Collectors.toList());
    this.prefixes =
        entries.stream()
            .filter(ClassAllowlist::isPrefix)
            .map(e -> e.endsWith("*") ? e.substring(0, e.length() - 1) : e)
            .collect(Collectors.toList());
  }

  /**
   * {@return an allowlist of the given entries; blank entries are ignored, the others trimmed}
   *
   * @param entries exact class names and package prefixes ({@code com.acme.} or {@code com.acme.*})
   */
  public static ClassAllowlist of(List<String> entries) {
    return new ClassAllowlist(
        entries.stream().map(String::trim).filter(e -> !e.isEmpty()).collect(Collectors.toList()),
        false);
  }

  /**
   * {@return the allowlist a comma-separated list of entries spells, as written in {@code
   * serialization.allow}}
   *
   * @param commaSeparated the entries; null or blank allows no user class
   */
  public static ClassAllowlist parse(String commaSeparated) {
    return of(Arrays.asList(Objects.requireNonNullElse(commaSeparated, "").split(",")));
  }

  /**
   * {@return an allowlist that accepts every class} The client side's: it reads only what its
   * authenticated daemon sends.
   */
  public static ClassAllowlist any() {
    return ANY;
  }

  /**
   * {@return whether a frame may name {@code className}} An array is allowed if its element class
   * is; primitive arrays always are.
   *
   * @param className a binary class name, or an array's JVM name such as {@code [Lcom.acme.Order;}
   */
  public boolean allows(String className) {
    if (any) {
      return true;
    }
    String name = elementName(className);
    if (className.startsWith("[") && name.length() == 1 && "ZBCSIJFD".contains(name)) {
      return true; // a primitive array such as [I
    }
    return exact.contains(name) || prefixes.stream().anyMatch(name::startsWith);
  }

  private static boolean isPrefix(String entry) {
    return entry.endsWith(".") || entry.endsWith(".*");
  }

  /** {@code [[Lcom.acme.Order;} → {@code com.acme.Order}. */
  private static String elementName(String className) {
    int dims = 0;
    while (dims < className.length() && className.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0) {
      return className;
    }
    String rest = className.substring(dims);
    return rest.startsWith("L") && rest.endsWith(";") ? rest.substring(1, rest.length() - 1) : rest;
  }

  @Override
  public String toString() {
    return any ? "*" : String.join(",", exact) + (prefixes.isEmpty() ? "" : "," + prefixes);
  }
}
