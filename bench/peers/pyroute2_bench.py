#!/usr/bin/env python3
"""pyroute2 contender of the rtnetlink benchmarks (W1 and W3 only).

    python3 pyroute2_bench.py '{"w":"W1","phase":"getlink","inst":{...},"warm":{...}}'

Sockets are opened inside the namespaces named by the harness (pushns/popns around
IPRoute()), the warm-up runs on the warm instance, and the timed part on the main one.
A dump is timed spec['dumps'] times (median; first and runs reported too).
Prints one JSON line: seconds, count, maxrss_kib.
"""
import ipaddress
import json
import resource
import sys
import time
from socket import AF_INET

from pyroute2 import IPRoute
from pyroute2.netns import popns, pushns


def client(name):
    pushns(name)
    try:
        return IPRoute()
    finally:
        popns()


def addr(base, i):
    return str(ipaddress.IPv4Address(base) + i)


def phase(w, ph, inst):
    ipr = client(inst['ns'][0])
    n = inst['n']
    count = 0
    try:
        if (w, ph) == ('W1', 'getlink'):
            index = inst['index']
            t0 = time.perf_counter()
            for _ in range(n):
                ipr.link('get', index=index)
            t1 = time.perf_counter()
        elif (w, ph) == ('W3', 'add'):
            base, plen = inst['base'], inst['plen']
            dsts = ['%s/%d' % (addr(base, i), plen) for i in range(n)]
            t0 = time.perf_counter()
            for dst in dsts:
                ipr.route('add', dst=dst, type='blackhole')
            t1 = time.perf_counter()
        elif (w, ph) == ('W3', 'dump'):
            t0 = time.perf_counter()
            for r in ipr.route('dump', family=AF_INET):
                if r.get_attr('RTA_TABLE') is not None or r is not None:
                    count += 1
            t1 = time.perf_counter()
        else:
            raise SystemExit('pyroute2_bench: unsupported phase %s/%s' % (w, ph))
    finally:
        ipr.close()
    return t1 - t0, count


def peak_rss_kib():
    """VmHWM of this process (ru_maxrss also counts the pre-exec image of our parent)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    spec = json.loads(sys.argv[1])
    w, ph = spec['w'], spec['phase']
    if spec.get('warm') and spec['warm']['n'] > 0:
        # Passes of the warm-up: the harness's rule for every contender (bench/lib/workloads.mjs
        # warmPasses(): GETs and dumps repeat the smaller copy, adds run it once).
        passes = spec.get('warmPasses', 1)
        for _ in range(passes):
            phase(w, ph, spec['warm'])
    # A dump is timed `dumps` times in a row; their median is reported.
    runs = []
    for _ in range(max(1, spec.get('dumps', 1)) if ph == 'dump' else 1):
        seconds, count = phase(w, ph, spec['inst'])
        runs.append(seconds)
    s = sorted(runs)
    m = len(s) // 2
    seconds = s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2
    rss = peak_rss_kib()
    out = {'seconds': seconds, 'count': count, 'maxrss_kib': rss}
    if len(runs) > 1:
        out.update(first=runs[0], runs=runs)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
