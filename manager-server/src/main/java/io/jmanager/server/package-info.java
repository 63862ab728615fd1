/**
 * The manager daemon. {@link io.jmanager.server.ManagerServer} runs it in this JVM (tests,
 * embedding), {@link io.jmanager.server.ManagerProcess} in a child JVM, {@link
 * io.jmanager.server.Main} from the command line ({@code bin/jmanager server | status |
 * shutdown}). Inside: a Netty pipeline per connection (framing, codec, handshake, then one {@code
 * ServerHandler}), one {@code Session} per authenticated connection (with its {@code Deliveries}:
 * the queue items handed to its client and not yet confirmed), the {@code ObjectRegistry}
 * (name, id, object) and the type table ({@code Types}: built-ins and user types), whose method
 * handles the handler calls without reflection. Shared types themselves live in {@code
 * io.jmanager.server.types} and know nothing of Netty.
 */
package io.jmanager.server;
