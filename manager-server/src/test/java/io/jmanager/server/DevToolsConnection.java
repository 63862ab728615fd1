package io.jmanager.server;

import static io.jmanager.server.MiniJson.member;
import static io.jmanager.server.MiniJson.quote;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket to a Chrome DevTools Protocol target: each command gets the next id, and the reply
 * with that id completes the caller's future; messages without an id (events) are dropped. A reply
 * may come in fragments, joined before it is read.
 *
 * <p>Thread-safe: commands may be sent from any thread, one message on the socket at a time, and
 * each caller blocks for its own reply only, up to the time it gives.
 */
final class DevToolsConnection implements AutoCloseable {
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Map<?, ?>>> pending = new ConcurrentHashMap<>();
  private final Object sendLock = new Object();
  private final WebSocket socket;

  private DevToolsConnection(HttpClient http, URI target, Duration within)
      throws InterruptedException, ExecutionException, TimeoutException {
    socket = http.newWebSocketBuilder().buildAsync(target, new Replies())
        .get(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Connects to {@code target} (a {@code webSocketDebuggerUrl}), waiting up to {@code within}.
   *
   * @throws IllegalStateException if it cannot
   */
  static DevToolsConnection open(HttpClient http, URI target, Duration within) {
    try {
      return new DevToolsConnection(http, target, within);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted connecting to " + target, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot connect to " + target, e);
    }
  }

  /**
   * Sends {@code method} with {@code params} (a JSON object) and returns its reply's {@code
   * result}. Blocks up to {@code within} for the send and again for the reply.
   *
   * @throws HeadlessChromium.PageException if the browser answers with an error
   * @throws IllegalStateException if no reply comes in time or the connection fails
   */
  Object call(String method, String params, Duration within) {
    long id = ids.incrementAndGet();
    CompletableFuture<Map<?, ?>> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      String request =
          "{\"id\":" + id + ",\"method\":" + quote(method) + ",\"params\":" + params + "}";
      synchronized (sendLock) { // a WebSocket takes one message at a time
        socket.sendText(request, true).get(within.toMillis(), TimeUnit.MILLISECONDS);
      }
      Map<?, ?> message = reply.get(within.toMillis(), TimeUnit.MILLISECONDS);
      Object error = message.get("error");
      if (error != null) {
        throw new HeadlessChromium.PageException(method + " refused: " + member(error, "message"));
      }
      return message.get("result");
    } catch (TimeoutException e) {
      throw new IllegalStateException("no reply to " + method + " within " + within, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + method, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the DevTools connection failed during " + method,
          e.getCause());
    } finally {
      pending.remove(id);
    }
  }

  /** Drops the connection; calls still waiting fail at once. */
  @Override
  public void close() {
    socket.abort();
    failPending(new IllegalStateException("the DevTools connection was closed"));
  }

  private void failPending(Throwable cause) {
    pending.values().forEach(reply -> reply.completeExceptionally(cause));
  }

  /** Hands each complete reply to the call waiting for its id. Called by one thread at a time. */
  private final class Replies implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        deliver(text);
      }
      webSocket.request(1);
      return null;
    }

    private void deliver(String text) {
      try {
        Object message = MiniJson.parse(text);
        if (member(message, "id") instanceof MiniJson.JsonNumber id) {
          CompletableFuture<Map<?, ?>> reply = pending.get(id.asLong());
          if (reply != null) {
            reply.complete((Map<?, ?>) message);
          }
        }
      } catch (RuntimeException e) {
        failPending(new IllegalStateException("unreadable DevTools message: " + text, e));
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      failPending(new IllegalStateException("DevTools closed the connection: " + statusCode
          + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failPending(error);
    }
  }
}
