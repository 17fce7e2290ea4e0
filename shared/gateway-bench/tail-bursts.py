#!/usr/bin/env python3
"""Where the slowest 1 % of a load run's requests come from: bursts that hit every target, or the gateway's pauses.

Usage: tail-bursts.py REQUESTS.csv [SAFEPOINTS.log]

REQUESTS.csv is what `run-load.sh --requests-log FILE` writes (one line per measured request: mode, target, intended
start in epoch microseconds, first byte and end in microseconds after it, the overhead header). SAFEPOINTS.log is the
gateway's `-Xlog:safepoint:file=FILE:time` (GATEWAY_JAVA_OPTS), optional.

For each mode and target it prints the p50 and p99 of the end (non-streaming) or first byte (streaming), how many of
the requests at or above the p99 started in the same 100 ms slot (a fixed grid) as four or more others as slow ("in
bursts"), and, with the safepoint log, how many were in flight while the gateway was stopped at a safepoint (a GC pause, mostly). The targets
take turns every second during the measurement, so a burst that shows in the direct target's tail as often as in the
gateway's comes from the machine, not from the gateway.
"""
import bisect
import collections
import datetime
import re
import sys

BURST_WINDOW_US = 100_000
BURST_MIN = 5


def requests(path):
    rows = collections.defaultdict(list)  # (mode, target) -> [(start_us, latency_us)]
    with open(path) as f:
        for line in f:
            mode, target, start, first_byte, end, _overhead = line.strip().split(',')
            latency = int(first_byte) if mode == 'streaming' else int(end)
            rows[(mode, target)].append((int(start), latency))
    return rows


def safepoints(path):
    """[(start_us, end_us)] of every safepoint the gateway logged."""
    pauses = []
    pattern = re.compile(r'\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})[^\]]*\].*Safepoint "\w+".* Total: (\d+) ns')
    with open(path) as f:
        for line in f:
            m = pattern.match(line)
            if m:
                logged = datetime.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f')
                end = logged.replace(tzinfo=datetime.timezone.utc).timestamp() * 1e6
                pauses.append((end - int(m.group(2)) / 1000, end))
    return sorted(pauses)


def in_pause(pauses, ends, start, latency):
    """Whether a pause overlapped the request's time in flight (1 ms slack: the log's timestamps are in ms)."""
    i = bisect.bisect_left(ends, start - 1000)
    return i < len(pauses) and pauses[i][0] <= start + latency + 1000


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pauses = safepoints(argv[2]) if len(argv) == 3 else None
    ends = [p[1] for p in pauses] if pauses else []
    print('| mode | target | p50 ms | p99 ms | requests at or above p99 | in bursts | in flight during a safepoint |')
    print('|---|---|--:|--:|--:|--:|--:|')
    for (mode, target), rows in sorted(requests(argv[1]).items()):
        latencies = sorted(latency for _, latency in rows)
        p50 = latencies[len(latencies) // 2]
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        slow = [(start, latency) for start, latency in rows if latency >= p99]
        windows = collections.Counter(start // BURST_WINDOW_US for start, _ in slow)
        bursty = sum(1 for start, _ in slow if windows[start // BURST_WINDOW_US] >= BURST_MIN)
        paused = '' if pauses is None else sum(1 for start, latency in slow if in_pause(pauses, ends, start, latency))
        print(f'| {mode} | {target} | {p50 / 1000:.3f} | {p99 / 1000:.3f} | {len(slow)} | {bursty} | {paused} |')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
