package io.jmanager.demo;

import io.jmanager.client.JoinableQueue;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedCounter;
import io.jmanager.client.SharedDict;

/** A pipeline worker: takes task ids until STOP, counts the primes of each, publishes the count. */
public final class PipelineWorker {
  public static void main(String[] args) throws Exception {
    long taskSize = Long.parseLong(args[0]);
    try (Manager m = Manager.fromEnvironment()) {
      JoinableQueue<Long> queue = m.joinableQueue(PipelineDemo.TASKS);
      SharedDict<Long, Long> results = m.dict(PipelineDemo.RESULTS);
      SharedCounter executions = m.counter(PipelineDemo.EXECUTIONS);
      m.barrier(PipelineDemo.READY, Integer.parseInt(args[1])).await();
      while (true) {
        long task = queue.take();
        if (task == PipelineDemo.STOP) {
          queue.taskDone();
          return;
        }
        long count = Primes.countByTrialDivision(task * taskSize, (task + 1) * taskSize);
        results.put(task, count);
        executions.incrementAndGet();
        queue.taskDone();
      }
    }
  }
}
