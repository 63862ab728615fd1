package io.jmanager.server.journal;

/**
 * The opt-in of a user-registered type to the journal: an implementation class that implements
 * this interface has its state journaled; any other user type is not (its objects exist again
 * after a restart, created anew by their factory, but empty). After every call on such an object
 * the daemon records {@link #journalState()} (calls on one user object run one at a time, so the
 * records are in call order), and a restarted daemon gives the last one to {@link
 * #restoreState(Object)} of a fresh instance from the type's factory.
 *
 * <pre>{@code
 * public final class RegistryImpl implements RegistryApi, DurableState {
 *   private final Map<String, String> entries = new HashMap<>();
 *   public Object journalState() { return new HashMap<>(entries); }
 *   public void restoreState(Object state) { entries.putAll((Map<String, String>) state); }
 * }
 * }</pre>
 *
 * <p>The state travels through the same serializer and allowlist as the type's call arguments
 * ({@code serialization.allow}), and must fit in {@code max.frame.bytes}. Recording the whole state
 * after each call suits small objects; a large one should keep its state in built-in objects.
 */
public interface DurableState {
  /**
   * {@return a copy of this object's whole state, of classes the wire can carry} Called on the
   * object's serial executor after each call, so no call runs meanwhile.
   */
  Object journalState();

  /**
   * Takes over {@code state}, as {@link #journalState()} returned it, on a fresh instance (before
   * any call).
   *
   * @param state the last state recorded, read back from the journal
   */
  void restoreState(Object state);
}
