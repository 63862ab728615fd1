/**
 * One class per built-in shared type: plain, thread-safe Java, no Netty. The daemon calls their
 * public methods by the client interface's method table; they never block a thread.
 */
package io.jmanager.server.types;
