#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Calls between layered source files flow one way (`make style`).

    tests/layers.py LOWEST.c ... HIGHEST.c

Each file may call the functions of the files before it in the list,
never those of a file after it: a call upward (and so any cycle) is
printed as "FILE -> FILE: function ..." and fails.

A function belongs to the file that defines it without `static`; a call
is its name followed by "(" outside comments and strings.  That is a
reading of the text, not of the object files, which is enough for code
in the kernel's style (one definition per name, its name at the start of
a line's declaration), and needs no build.
"""
import re
import sys
from collections import defaultdict

DEF = re.compile(r'^(?!static\b)[A-Za-z_][\w \t*]*?\b([a-z_]\w*)\s*\([^;{]*\)\s*\{',
                 re.M)
CALL = re.compile(r'\b([a-z_]\w*)\s*\(')


def strip(text):
    """The text less its comments and the insides of its strings."""
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def main(files):
    texts = {f: strip(open(f).read()) for f in files}
    owner = {}
    for f, text in texts.items():
        for m in DEF.finditer(text):
            owner[m.group(1)] = f
    rank = {f: i for i, f in enumerate(files)}
    up = defaultdict(set)
    for f, text in texts.items():
        for m in CALL.finditer(text):
            g = owner.get(m.group(1))
            if g and rank[g] > rank[f]:
                up[(f, g)].add(m.group(1))
    for (f, g), names in sorted(up.items()):
        print(f"{f} -> {g}: {' '.join(sorted(names))}")
    return 1 if up else 0


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
