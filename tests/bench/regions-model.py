#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A model of DAMON's adaptive regions, to weigh merge rules in seconds.

    tests/bench/regions-model.py [WORKLOAD [RATE [RULES]]]

No kernel, no guest: a workload is 256 chunks of 1 MiB (256 pages each),
each with the probability that one sample of one of its pages sees an
access; a region's sample picks a random page of it.  The regions split
and merge by the rules of src/regions.c (sizes, thresholds, rests; the
holes and cuts of vaddr left out), with the merge rule of RULES:

    up      upstream's: counts within a tenth of the highest merge
    z2      also counts alike within two standard deviations (the rule
            before issue 24)
    z1      also within one standard deviation (the rule since)

WORKLOAD: power (share by rank^-1, ranks at random), bands (5%, 15%,
30%, 50% of the chunks with 60%, 25%, 12%, 3% of the accesses, at
random), hotcold (a third of the chunks accessed alike, the rest not).
RATE scales the shares into per-sample probabilities, 1 - exp(-RATE *
share): 30 makes the power law's chunks read mostly 0 to 3 of 20, as the
bench's graded workload does under emulation; 60 makes hotcold's hot
chunks read about 10 of 20.

Prints per rule, over 8 seeds: the Spearman rank correlation of the
chunks' shares and their estimates (byte-weighted counts of the regions
over them, averaged over 80 aggregations), the hottest-decile capture,
access checks per sample (what monitoring costs) and regions; for
hotcold also the share of the hot chunks read hot (count >= 1) at one
read.  It is a model: it ranks rules, the bench (tests/bench/) measures
them.
"""
import math
import random
import sys

PAGES = 256
MAXN = 20
MIN_NR, MAX_NR = 10, 1000
SEEDS = 8


class Region:
    __slots__ = ('s', 'e', 'nr', 'last', 'age')

    def __init__(self, s, e, nr=0, last=0, age=0):
        self.s, self.e, self.nr, self.last, self.age = s, e, nr, last, age


def alike(a, b, z):
    """The noise test of dp_counts_alike(), at z standard deviations."""
    if not a or not b:
        return False
    var = a * (MAXN - a) + b * (MAXN - b)
    return (a - b) ** 2 * MAXN <= z * z * var


def mergeable(left, right, thres, sz_limit, rule):
    sz = right.e - left.s
    if sz > sz_limit:
        return False
    if abs(left.nr - right.nr) <= thres:
        return True
    if rule == 'up' or sz > sz_limit // 4:
        return False
    return alike(left.nr, right.nr, float(rule[1:]))


def settled(r):
    return r.age >= 10 and (r.last == 0 or r.last * 10 >= MAXN * 9)


def run(p, rule, seed, hot_end, aggrs=100, first_read=20):
    rnd = random.Random(seed)
    total = len(p) * PAGES
    regs = [Region(i * total // MIN_NR, (i + 1) * total // MIN_NR)
            for i in range(MIN_NR)]
    sz_limit = total // MIN_NR
    est = [0.0] * len(p)
    recall, checks, nregs, last_nr = [], 0, [], 0
    for ag in range(aggrs):
        for r in regs:
            r.nr = sum(rnd.random() < p[rnd.randrange(r.s, r.e) // PAGES]
                       for _ in range(MAXN))
            checks += MAXN
        thres = max(r.nr for r in regs) // 10
        merged = []
        for r in regs:
            r.age = 0 if abs(r.nr - r.last) > thres else r.age + 1
            if merged and mergeable(merged[-1], r, thres, sz_limit, rule):
                left = merged[-1]
                szl, szr = left.e - left.s, r.e - r.s
                left.nr = (left.nr * szl + r.nr * szr) // (szl + szr)
                left.age = (left.age * szl + r.age * szr) // (szl + szr)
                left.e = r.e
            else:
                merged.append(r)
        regs = merged
        if ag >= first_read:
            nregs.append(len(regs))
            for r in regs:
                for c in range(r.s // PAGES, (r.e - 1) // PAGES + 1):
                    part = min(r.e, (c + 1) * PAGES) - max(r.s, c * PAGES)
                    est[c] += r.nr * part / PAGES
            if hot_end:
                recall.append(sum(min(r.e, hot_end) - r.s for r in regs
                                  if r.nr and r.s < hot_end) / hot_end)
        for r in regs:
            r.last = r.nr
        if len(regs) > MAX_NR // 2:
            continue
        subs = 3 if len(regs) == last_nr and len(regs) < MAX_NR // 3 else 2
        last_nr = len(regs)
        split = []
        for r in regs:
            if rule != 'up' and settled(r) and rnd.randrange(4):
                split.append(r)
                continue
            for _ in range(subs - 1):
                sz = r.e - r.s
                left = (rnd.randrange(9) + 1) * sz // 10
                if sz <= 2 or not 0 < left < sz:
                    break
                split.append(Region(r.s, r.s + left, r.nr, r.last, r.age))
                r.s += left
            split.append(r)
        regs = split
    return (est, checks / aggrs / MAXN, sum(nregs) / len(nregs),
            sum(recall) / len(recall) if recall else None)


def ranks(x):
    order = sorted(range(len(x)), key=lambda i: x[i])
    rk = [0.0] * len(x)
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
            j += 1
        for k in range(i, j + 1):
            rk[order[k]] = (i + j) / 2
        i = j + 1
    return rk


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb))
    return cov / math.sqrt(var) if var else 0.0


def capture(share, est):
    n = len(share) // 10
    top = sorted(range(len(est)), key=lambda i: -est[i])[:n]
    return sum(share[i] for i in top) / sum(sorted(share)[-n:])


def workload(kind, rate, seed, n=256):
    if kind == 'power':
        share = [1.0 / (i + 1) for i in range(n)]
    elif kind == 'bands':
        share = []
        for frac, total in ((0.05, 60), (0.15, 25), (0.30, 12), (0.50, 3)):
            k = int(frac * n)
            share += [total / k] * k
        share += [share[-1]] * (n - len(share))
    else:
        share = [1.0] * (n // 3) + [0.0] * (n - n // 3)
    tot = sum(share)
    share = [s / tot for s in share]
    if kind != 'hotcold':
        random.Random(seed).shuffle(share)
    return share, [1 - math.exp(-rate * s) for s in share]


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else 'power'
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    rules = sys.argv[3].split(',') if len(sys.argv) > 3 else ['up', 'z2', 'z1']
    hot_end = (256 // 3) * PAGES if kind == 'hotcold' else 0
    for rule in rules:
        res = []
        for seed in range(SEEDS):
            share, p = workload(kind, rate, seed + 7)
            est, ch, nr, rc = run(p, rule, seed, hot_end)
            res.append((spearman(share, est), capture(share, est), ch, nr,
                        rc))
        med = sorted(r[0] for r in res)[SEEDS // 2]
        line = (f'{kind} rate={rate:g} {rule:3s} spearman={med:.3f} '
                f'[{min(r[0] for r in res):.3f}, '
                f'{max(r[0] for r in res):.3f}] '
                f'capture={sum(r[1] for r in res) / SEEDS:.3f} '
                f'checks/sample={sum(r[2] for r in res) / SEEDS:.1f} '
                f'regions={sum(r[3] for r in res) / SEEDS:.1f}')
        if hot_end:
            line += f' recall={sum(r[4] for r in res) / SEEDS:.3f}'
        print(line)


if __name__ == '__main__':
    main()
