/**
 * One class per built-in shared type: plain, thread-safe Java, no Netty. The daemon calls their
 * public methods by the client interface's method table; they never block a thread. A method that
 * cannot answer at once parks a {@link io.jmanager.server.types.Pending}; one that hands items to
 * its caller is marked {@link io.jmanager.server.types.HandsOver}, and its type takes back what a
 * caller never received ({@link io.jmanager.server.types.ItemSource}).
 */
package io.jmanager.server.types;
