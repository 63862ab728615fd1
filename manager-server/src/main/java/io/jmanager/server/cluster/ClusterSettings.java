package io.jmanager.server.cluster;

import java.util.List;

/**
 * How a daemon joins its cluster ({@code cluster.*}).
 *
 * @param name the cluster's name: daemons join only a cluster of the same name
 * @param members the members to join, {@code host:port} each (this daemon's own address may be among them)
 * @param bind the address this member listens on for the others
 * @param port the port this member listens on for the others
 * @param cpMembers members forming the CP subsystem (3 to 7), or 0 for its unsafe mode
 * @param threads threads serving calls on cluster objects
 * @param waitThreads threads that wait for locks and semaphores held through other daemons: at
 *     most one per contended object; past it, waiting for another fails with a message
 */
public record ClusterSettings(
    String name, List<String> members, String bind, int port, int cpMembers, int threads, int waitThreads) {}
