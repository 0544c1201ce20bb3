#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse KTAP (KUnit's output format) and print one line per test case.

Reads KTAP from stdin, as written by the kunit scenario: one block per suite
between "KTAP-BEGIN <suite>" and "KTAP-END <suite>". For each leaf case it
prints "PASS <suite>.<case>", "FAIL <suite>.<case>" or "SKIP <suite>.<case>".
A suite whose plan ("1..N") does not match the cases it reported, or that
reported none, yields a FAIL line of its own: a crash mid-suite or a filter
that matched nothing must never look like success. So does every suite
declared in tests/kunit/ (a struct kunit_suite's .name) that the filter
asked for ($DP_KUNIT, kunit.filter_glob's suite part; all without it)
and that sent no report: a suite the module no longer registers, or one
the scenario did not pass on, must not just vanish from the count.
"""
import fnmatch
import glob
import os
import re
import sys

SUITE = re.compile(r'struct\s+kunit_suite\s+\w+\s*=\s*\{[^}]*?\.name\s*=\s*"([^"]+)"',
                   re.S)


def declared_suites():
    """{suite name: header} of the suites tests/kunit/ declares."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = {}
    for path in sorted(glob.glob(os.path.join(here, '..', 'kunit', '*.h'))):
        with open(path, encoding='utf-8') as f:
            for name in SUITE.findall(f.read()):
                out[name] = 'tests/kunit/' + os.path.basename(path)
    return out

RESULT = re.compile(r'^\s*(ok|not ok) (\d+) (\S.*?)(?:\s+#\s*(\S+).*)?$')
PLAN = re.compile(r'^\s*1\.\.(\d+)')


def parse_suite(suite, lines):
    out = []
    plan = None
    cases = 0
    depth_plan = {}
    for line in lines:
        indent = len(line) - len(line.lstrip(' '))
        m = PLAN.match(line)
        if m:
            depth_plan[indent] = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        status, _, name, directive = m.groups()
        if indent == 0:
            # The suite's own line closes it.
            plan = depth_plan.get(4, depth_plan.get(0))
            continue
        if indent == 4:
            # A parameterised case nests its params at depth 8; the case
            # line at depth 4 still carries the verdict.
            cases += 1
            if directive and directive.upper() == 'SKIP':
                out.append(f'SKIP {suite}.{name}')
            elif status == 'ok':
                out.append(f'PASS {suite}.{name}')
            else:
                out.append(f'FAIL {suite}.{name}')
    if cases == 0:
        out.append(f'FAIL {suite}: no test case ran')
    elif plan is None:
        out.append(f'FAIL {suite}: incomplete report (suite did not finish)')
    elif plan != cases:
        out.append(f'FAIL {suite}: plan of {plan} cases, {cases} reported')
    return out


def main():
    suites = []
    current = None
    lines = []
    for raw in sys.stdin:
        line = raw.rstrip('\r\n')
        if line.startswith('KTAP-BEGIN '):
            current, lines = line.split(' ', 1)[1], []
        elif line.startswith('KTAP-END ') and current:
            suites.append((current, lines))
            current = None
        elif current is not None:
            lines.append(line)
    if current is not None:
        suites.append((current, lines))
    for suite, body in suites:
        for out in parse_suite(suite, body):
            print(out)
    if not suites:
        print('FAIL kunit: no suite reported')
    reported = {suite for suite, _ in suites}
    want = (os.environ.get('DP_KUNIT') or '*').split('.', 1)[0]
    declared = declared_suites()
    if not declared:
        print('FAIL kunit: no suite declared in tests/kunit/')
    for suite, header in sorted(declared.items()):
        if fnmatch.fnmatchcase(suite, want) and suite not in reported:
            print(f'FAIL {suite}: declared in {header}, sent no report')


if __name__ == '__main__':
    main()
