package io.jmanager.server.journal;

/**
 * Records the effect of one mutating method of a built-in type. The dispatcher calls {@link
 * #before}, the method and {@link #record} inside the object's monitor, so the object's records
 * are in the order of its effects (see {@link Journal}).
 */
public interface Recorder {
  /** What the recorder needs to know from before the call (a list element's index), or null. */
  default Object before(Object instance, Object[] args) {
    return null;
  }

  /** Appends the records of the effect the call had; nothing if it failed or changed nothing. */
  void record(Journal journal, int objectId, Object instance, Object[] args, Object result, Object before);
}
