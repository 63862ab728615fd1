# CPython's Pool(2).map of n trivial tasks with a chunk size: prints tasks/s of each repetition.
import sys, time
from multiprocessing import Pool

def square(x):
    return x * x

if __name__ == "__main__":
    n, chunk, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    with Pool(2) as p:
        for _ in range(5):
            p.map(square, range(n), chunk)
        for _ in range(reps):
            t0 = time.perf_counter()
            p.map(square, range(n), chunk)
            print(n / (time.perf_counter() - t0), flush=True)
