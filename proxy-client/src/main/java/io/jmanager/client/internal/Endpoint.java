package io.jmanager.client.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One daemon address: TCP {@code host:port} or a Unix domain socket {@code unix:/path}. An address
 * string may list several, comma-separated, tried in order ({@code unix:/p,127.0.0.1:50000}).
 * Immutable.
 */
public record Endpoint(String host, int port, Path unixPath) {
  private static final String UNIX = "unix:";

  public Endpoint {
    if (unixPath == null) {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
    }
  }

  public static Endpoint tcp(String host, int port) {
    return new Endpoint(host, port, null);
  }

  public static Endpoint unix(Path path) {
    return new Endpoint(null, 0, Objects.requireNonNull(path, "path"));
  }

  /**
   * Parses {@code host:port}, {@code unix:/path/to/socket}, or a comma-separated list of them.
   *
   * @throws IllegalArgumentException naming the bad part and the accepted forms
   */
  public static List<Endpoint> parseList(String addresses) {
    Objects.requireNonNull(addresses, "address");
    List<Endpoint> out = new ArrayList<>();
    for (String part : addresses.split(",")) {
      String a = part.trim();
      if (!a.isEmpty()) {
        out.add(parse(a, addresses));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(bad(addresses));
    }
    return List.copyOf(out);
  }

  private static Endpoint parse(String a, String whole) {
    if (a.startsWith(UNIX)) {
      String path = a.substring(UNIX.length());
      if (path.isEmpty()) {
        throw new IllegalArgumentException(bad(whole));
      }
      return unix(Path.of(path.replaceFirst("^~", System.getProperty("user.home"))));
    }
    int colon = a.lastIndexOf(':');
    if (colon <= 0 || colon == a.length() - 1) {
      throw new IllegalArgumentException(bad(whole));
    }
    String host = a.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:50000
    }
    try {
      return tcp(host, Integer.parseInt(a.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(bad(whole));
    }
  }

  private static String bad(String whole) {
    return "address must be host:port, unix:/path/to/socket, or a comma-separated list of them; got '"
        + whole + "'";
  }

  /** The list as an address string, as {@link #parseList} reads it back. */
  public static String format(List<Endpoint> endpoints) {
    return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
  }

  public boolean isUnix() {
    return unixPath != null;
  }

  /** The socket address to connect to; a host name is resolved now, on each call. */
  SocketAddress socketAddress() throws UnknownHostException {
    return isUnix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(InetAddress.getByName(host), port);
  }

  /** Whether this address certainly reaches a daemon on this host (a Unix socket, or a local IP). */
  boolean isThisHost() {
    if (isUnix()) {
      return true;
    }
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    if (isUnix()) {
      return UNIX + unixPath;
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
