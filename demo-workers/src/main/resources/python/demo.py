"""The CPython side of `bin/jmanager demo python`.

An unmodified multiprocessing.managers client of the jmanager daemon's Python gateway, doing what
the demo's Java workers do: it registers itself (language, pid) in the shared registry dict, adds 1
to the registry's counter INCREMENTS times, each a read and a write under the shared lock (without
the lock two processes could read the same value and one update would be lost), records how many it
added, then waits for a word on the print queue and prints the registry as it sees it: one
"key: value" line per entry, in key order, in Python's repr.

The authkey comes from JMANAGER_AUTHKEY (hex), as for Java workers. Every wait is bounded; a wait
that runs out ends the script with status 1 and a line on stderr.
"""
import argparse
import os
import queue
import sys
from multiprocessing.managers import AcquirerProxy, BaseManager, DictProxy


class Gateway(BaseManager):
    pass


Gateway.register('get_dict', proxytype=DictProxy)
Gateway.register('get_lock', proxytype=AcquirerProxy)
Gateway.register('get_queue')


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--host', required=True, help="the Python gateway's host")
    p.add_argument('--port', required=True, type=int, help="the Python gateway's port")
    p.add_argument('--name', required=True, help='this process in the registry')
    p.add_argument('--increments', required=True, type=int)
    p.add_argument('--registry', required=True, help='the shared dict')
    p.add_argument('--counter', required=True, help="the counter's key in the registry")
    p.add_argument('--lock', required=True, help='the shared lock')
    p.add_argument('--print-queue', required=True, help='the queue the word to print comes on')
    p.add_argument('--lock-wait', required=True, type=float, help='seconds each acquire may wait')
    p.add_argument('--print-wait', required=True, type=float, help='seconds to wait for the word')
    return p.parse_args()


def main():
    a = arguments()
    m = Gateway(address=(a.host, a.port), authkey=bytes.fromhex(os.environ['JMANAGER_AUTHKEY']))
    m.connect()
    registry = m.get_dict(a.registry)
    lock = m.get_lock(a.lock)
    me = {'lang': 'python', 'pid': os.getpid(), 'adds': 0}
    registry[a.name] = me
    for _ in range(a.increments):
        if not lock.acquire(timeout=a.lock_wait):
            sys.exit(f'{a.name}: the lock {a.lock!r} was not free within {a.lock_wait:.0f} s')
        try:
            registry[a.counter] = registry.get(a.counter, 0) + 1
        finally:
            lock.release()
    me['adds'] = a.increments
    registry[a.name] = me
    try:
        m.get_queue(a.print_queue).get(timeout=a.print_wait)
    except queue.Empty:
        sys.exit(f'{a.name}: no word to print on {a.print_queue!r} within {a.print_wait:.0f} s')
    for key, value in sorted(registry.items()):
        print(f'{key!r}: {value!r}')


if __name__ == '__main__':
    main()
