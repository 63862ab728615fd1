package io.jmanager.server.journal;

/**
 * Records the effect of one mutating method of a built-in type. The dispatcher calls {@link
 * #before}, the method and {@link #record} inside the object's monitor, so the object's records
 * are in the order of its effects (see {@link Journal}).
 */
public interface Recorder {
  /**
   * {@return what the recorder needs to know from before the call (a list element's index), or
   * null} Called inside the object's monitor, just before the method.
   *
   * @param instance the server-side object
   * @param args the call's arguments
   */
  default Object before(Object instance, Object[] args) {
    return null;
  }

  /**
   * Appends the records of the effect the call had; nothing if it failed or changed nothing.
   *
   * @param journal where to append
   * @param objectId the object's id
   * @param instance the server-side object, after the call
   * @param args the call's arguments
   * @param result what the call returned
   * @param before what {@link #before} returned
   */
  void record(Journal journal, int objectId, Object instance, Object[] args, Object result, Object before);
}
