/**
 * Process pools: {@link io.jmanager.pool.ProcessPool} runs the caller's serializable functions in
 * worker JVMs, with tasks and results passing through a jmanager daemon as opaque bytes.
 */
package io.jmanager.pool;
