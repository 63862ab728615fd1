"""The python.dict.get case of `bin/jmanager bench`.

Times d.get('k') from this one CPython process through the jmanager daemon's Python gateway, and the
same call on CPython's own SyncManager, a server process started here and reached over TCP loopback
as the gateway is. Each side warms up, then the measured windows alternate between the two, so that
the machine's drift touches both alike. Every call is timed with perf_counter_ns.

Prints one line per measured window: "gateway|cpython OPS_PER_S P50_US". The authkey of the
gateway comes from JMANAGER_AUTHKEY (hex), as for Java workers.
"""
import argparse
import os
import time
from multiprocessing.managers import BaseManager, DictProxy, SyncManager


class Gateway(BaseManager):
    pass


Gateway.register('get_dict', proxytype=DictProxy)


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--host', required=True, help="the Python gateway's host")
    p.add_argument('--port', required=True, type=int, help="the Python gateway's port")
    p.add_argument('--dict', required=True, help="the daemon's dict to read")
    p.add_argument('--payload', required=True, type=int, help="bytes in the value read")
    p.add_argument('--warmup', required=True, type=float, help='seconds of calls before the gateway is timed')
    p.add_argument('--seconds', required=True, type=float, help='seconds per measured window')
    p.add_argument('--repetitions', required=True, type=int, help='measured windows per side')
    return p.parse_args()


def window(d, seconds):
    """Calls d.get('k') for `seconds`, at least once; returns (calls/s, median call in us)."""
    pc = time.perf_counter_ns
    latencies = []
    start = t0 = pc()
    end = start + int(seconds * 1e9)
    while True:
        d.get('k')
        t1 = pc()
        latencies.append(t1 - t0)
        t0 = t1
        if t0 >= end:
            break
    latencies.sort()
    return len(latencies) * 1e9 / (t0 - start), latencies[len(latencies) // 2] / 1e3


def main():
    a = arguments()
    gateway = Gateway(address=(a.host, a.port), authkey=bytes.fromhex(os.environ['JMANAGER_AUTHKEY']))
    gateway.connect()
    ours = gateway.get_dict(a.dict)
    ours['k'] = b'x' * a.payload
    with SyncManager(address=('127.0.0.1', 0), authkey=os.urandom(32)) as cpython:
        theirs = cpython.dict()
        theirs['k'] = b'x' * a.payload
        window(ours, a.warmup)
        window(theirs, min(a.warmup, 1.0))  # a CPython server has no JIT to wait for
        for _ in range(a.repetitions):
            for side, d in (('gateway', ours), ('cpython', theirs)):
                ops, p50 = window(d, a.seconds)
                print(side, f'{ops:.1f}', f'{p50:.1f}', flush=True)


if __name__ == '__main__':
    main()
