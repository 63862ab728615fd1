package io.jmanager.client;

/**
 * The daemon-side code threw an exception that is not a standard JDK type, so it cannot be
 * re-thrown as itself. {@link #remoteType()} and {@link #remoteStack()} describe the original.
 */
public class RemoteException extends ManagerException {
  private final String remoteType;
  private final String remoteStack;

  public RemoteException(String remoteType, String message, String remoteStack) {
    super(remoteType + (message == null ? "" : ": " + message));
    this.remoteType = remoteType;
    this.remoteStack = remoteStack == null ? "" : remoteStack;
  }

  /** The class name of the exception thrown on the daemon. */
  public String remoteType() {
    return remoteType;
  }

  /** The daemon-side stack trace, as text. */
  public String remoteStack() {
    return remoteStack;
  }
}
