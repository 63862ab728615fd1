/**
 * Same-host shared memory: {@link io.jmanager.shm.SharedMemory}, named blocks in {@code /dev/shm}
 * that Java and CPython processes map together, with typed atomic views and a cross-process lock.
 * No daemon is involved: every access is a memory access.
 */
package io.jmanager.shm;
