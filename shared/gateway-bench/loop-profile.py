#!/usr/bin/env python3
"""The event loops' CPU samples per request, by component, from async-profiler's collapsed output (loop-profile.sh).

Usage: loop-profile.py PROFILE.txt REQUESTS

Only the loop threads count (the gateway's gateway-loop-*, the proxy's epollEventLoopGroup-*). A sample in the kernel
goes to its system call (writev, recvfrom, epoll_wait...; ioctl and rt_sigreturn are the profiler's own signal and
timer); a sample in Java code to the innermost frame that names a component: Jackson, the logging, the metrics, a
class of the gateway (by package and class), or Netty; a sample in the JVM's own code (the collector's barriers, the
compiler's stubs) to "JVM". The figures compare components, and one build or target with another profiled the same way;
they are not microseconds: sampling every 50 us of CPU time, the profiler's own signals slow the loops down.
"""
import collections
import sys


def component(frames):
    leaf = frames[-1]
    if leaf.endswith('_[k]'):
        for frame in frames:
            if frame.startswith('__x64_sys_'):
                return 'kernel: ' + frame[len('__x64_sys_'):-len('_[k]')]
        if any('do_writev' in f for f in frames):
            return 'kernel: writev'
        if any('page_fault' in f for f in frames):
            return 'kernel: page faults'
        return 'kernel: other'
    for frame in reversed(frames):
        if 'jackson' in frame:
            return 'Jackson'
        if 'logback' in frame or 'slf4j' in frame:
            return 'logging (logback)'
        if 'micrometer' in frame or 'prometheus' in frame:
            return 'metrics (Micrometer)'
        if frame.startswith('io/llmgw/'):
            return 'gateway: ' + frame[len('io/llmgw/'):].split('.')[0].split('$')[0]
        if frame.startswith('io/netty/'):
            return 'Netty'
    if any(f.startswith(('G1', 'Unsafe_', 'OptoRuntime', 'SharedRuntime', 'Runtime1', 'InterpreterRuntime')) or 'libjvm' in f
           for f in frames):
        return 'JVM'
    return 'other: ' + leaf[:60]


def main(path, requests):
    by = collections.Counter()
    total = 0
    with open(path) as profile:
        for line in profile:
            stack, count = line.rstrip('\n').rsplit(' ', 1)
            frames = stack.split(';')
            if 'gateway-loop' not in frames[0] and 'epollEventLoopGroup' not in frames[0]:
                continue
            by[component(frames)] += int(count)
            total += int(count)
    print(f'{total / requests:.2f} loop samples per request ({total} samples, {requests} requests)')
    print('samples/request  share  component')
    for name, count in by.most_common(40):
        print(f'{count / requests:15.3f}  {100 * count / total:4.1f}%  {name}')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]))
