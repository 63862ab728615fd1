/**
 * The durability journal ({@code journal.dir}): effects of acknowledged mutations appended to a
 * log before their replies ({@link io.jmanager.server.journal.Journal}), replayed at start
 * ({@code Recovery}), compacted into snapshots in the background ({@code Compaction}). {@link
 * io.jmanager.server.journal.Effects} is the one table of what each built-in type records and how
 * it is applied; {@link io.jmanager.server.journal.DurableState} is how a user type opts in. Plain
 * Java and files: no Netty here; the dispatcher calls in.
 */
package io.jmanager.server.journal;
