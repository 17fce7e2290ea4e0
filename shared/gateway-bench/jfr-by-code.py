#!/usr/bin/env python3
"""Where a JFR recording's CPU samples were, by code: the gateway, the HTTP server, the upstream client, Jackson...

Usage: jfr-by-code.py RECORDING.jfr   (needs the JDK's `jfr` tool: on PATH, or JAVA_HOME/bin, or .mvn/jdk.sh's)

Each jdk.ExecutionSample is attributed to the innermost frame that is not the JDK's own code; samples with only JDK
frames are "JDK only" (sockets, scheduling, encoding); samples on the request log's appender thread count as the
request log whatever their frames. Record with -XX:StartFlightRecording=...,settings=profile (see README › Benchmarks).
"""
import collections
import json
import os
import shutil
import subprocess
import sys

GROUPS = [  # package prefix (JVM form), group
    ('org/apache/hc', 'Apache HttpClient'),
    ('io/llmgw', 'the gateway'),
    ('org/eclipse/jetty', 'Jetty'), ('io/netty', 'Netty'),
    ('org/apache/catalina', 'Tomcat'), ('org/apache/coyote', 'Tomcat'), ('org/apache/tomcat', 'Tomcat'),
    ('org/springframework', 'Spring, logging'), ('ch/qos', 'Spring, logging'), ('org/slf4j', 'Spring, logging'),
    ('com/fasterxml', 'Jackson'),
]
JDK = ('java/', 'javax/', 'jdk/', 'sun/', 'com/sun/')


def jfr_tool():
    home = os.environ.get('JAVA_HOME')
    if home and os.path.exists(os.path.join(home, 'bin', 'jfr')):
        return os.path.join(home, 'bin', 'jfr')
    if shutil.which('jfr'):
        return 'jfr'
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    jdk = subprocess.check_output([os.path.join(root, '.mvn', 'jdk.sh')], text=True).strip()
    return os.path.join(jdk, 'bin', 'jfr')


def group(frames, thread):
    if thread.startswith(('AsyncAppender', 'log-writer')):
        return 'the request log (appender thread)'
    for frame in frames:
        name = frame['method']['type']['name'].replace('.', '/')  # hidden classes (lambdas) are named with dots
        if name.startswith(JDK):
            continue
        for prefix, label in GROUPS:
            if name.startswith(prefix):
                return label
        return 'other libraries'
    return 'JDK only (sockets, scheduling, encoding)'


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = subprocess.check_output([jfr_tool(), 'print', '--json', '--events', 'jdk.ExecutionSample', sys.argv[1]])
    events = json.loads(out)['recording']['events']
    counts = collections.Counter()
    for event in events:
        thread = (event['values'].get('sampledThread') or {}).get('javaName') or ''
        counts[group(event['values']['stackTrace']['frames'], thread)] += 1
    print('%d samples' % len(events))
    for label, count in counts.most_common():
        print('%6d  %5.1f %%  %s' % (count, 100 * count / len(events), label))


if __name__ == '__main__':
    main()
