package io.jmanager.demo;

/** Two independent ways to count primes: the workers' CPU-bound job, and the parent's check. */
final class Primes {
  private Primes() {}

  /** Primes in {@code [from, to)} by trial division: deliberately CPU-bound. */
  static long countByTrialDivision(long from, long to) {
    long count = 0;
    for (long n = Math.max(from, 2); n < to; n++) {
      if (isPrime(n)) {
        count++;
      }
    }
    return count;
  }

  static boolean isPrime(long n) {
    if (n < 4) {
      return n >= 2;
    }
    if (n % 2 == 0) {
      return false;
    }
    for (long d = 3; d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  /** Primes below {@code limit} by the sieve of Eratosthenes. */
  static long sieveCount(int limit) {
    boolean[] composite = new boolean[Math.max(limit, 2)];
    long count = 0;
    for (int i = 2; i < limit; i++) {
      if (!composite[i]) {
        count++;
        for (long j = (long) i * i; j < limit; j += i) {
          composite[(int) j] = true;
        }
      }
    }
    return count;
  }
}
