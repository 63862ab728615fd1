package io.jmanager.client;

/**
 * The daemon-side code threw an exception that is not a standard JDK type, so it cannot be
 * re-thrown as itself. {@link #remoteType()} and {@link #remoteStack()} describe the original.
 */
public class RemoteException extends ManagerException {
  /** The class name of the exception thrown on the daemon. */
  private final String remoteType;

  /** The daemon-side stack trace as text; never null. */
  private final String remoteStack;

  /**
   * Creates the exception from what the daemon reported; its message is
   * {@code remoteType: message}.
   *
   * @param remoteType the class name of the exception thrown on the daemon
   * @param message that exception's message, or null
   * @param remoteStack its stack trace as text, or null (kept as empty)
   */
  public RemoteException(String remoteType, String message, String remoteStack) {
    super(remoteType + (message == null ? "" : ": " + message));
    this.remoteType = remoteType;
    this.remoteStack = remoteStack == null ? "" : remoteStack;
  }

  /** {@return the class name of the exception thrown on the daemon} */
  public String remoteType() {
    return remoteType;
  }

  /** {@return the daemon-side stack trace, as text; empty if the daemon sent none} */
  public String remoteStack() {
    return remoteStack;
  }
}
