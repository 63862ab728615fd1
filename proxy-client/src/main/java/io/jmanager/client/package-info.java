/**
 * The public API of the jmanager proxy client: {@link io.jmanager.client.Manager} connects to a
 * daemon and hands out proxies for shared objects ({@link io.jmanager.client.SharedDict}, {@link
 * io.jmanager.client.SharedList}, ...); {@link io.jmanager.client.WorkerProcess} starts worker JVMs
 * wired to the same daemon; every error is a {@link io.jmanager.client.ManagerException} or the JDK
 * exception the Java interface specifies.
 */
package io.jmanager.client;
