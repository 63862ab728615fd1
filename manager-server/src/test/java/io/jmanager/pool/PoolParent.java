package io.jmanager.pool;

/** A JVM with a running pool of two workers: prints their pids, then waits to be killed. */
public final class PoolParent {
  public static void main(String[] args) throws Exception {
    ProcessPool pool = ProcessPool.create(2);
    for (long pid : pool.workerPids()) {
      System.out.println("worker " + pid);
    }
    System.out.println("ready");
    System.out.flush();
    pool.submit(PoolTasks::hang, args[0]); // a worker busy in a task when its parent dies
    Thread.currentThread().join();
  }
}
