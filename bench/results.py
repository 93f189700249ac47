"""The bench scripts' results, read for their summaries.

Each line of a results file is what bench/common.sh's measure() appends:
"LABEL wall user sys peakRSS-KiB [output-bytes]", one line per program and
round, the rounds in order.
"""
import statistics

WALL, CPU, RSS, OUTPUT = range(4)


def read(path):
    """label -> [(wall s, CPU s, peak RSS MiB, output bytes)], one per round."""
    rows = {}
    for line in open(path):
        label, wall, user, sys_, rss, *out = line.split()
        rows.setdefault(label, []).append(
            (float(wall), float(user) + float(sys_), int(rss) / 1024, int(out[0]) if out else 0))
    return rows


def medians(rows):
    """label -> the median of each figure over the rounds."""
    return {k: tuple(statistics.median(r[i] for r in v) for i in range(4)) for k, v in rows.items()}


def spread(rows, a, b, i=WALL):
    """b's figure i over a's, per round (the runs of a round are neighbours):
    the median and the range, or n/a. With the wall time, a's speed over b's."""
    r = sorted(y[i] / x[i] for x, y in zip(rows.get(a, []), rows.get(b, [])) if x[i])
    return f"{statistics.median(r):.2f} (rounds {r[0]:.2f}..{r[-1]:.2f})" if r else "n/a"


def print_table(med, n, labels, output=False):
    """images/s, CPU s and peak RSS (and the bytes written) of each label."""
    print(f"\n{'program':22} {'images/s':>9} {'CPU s':>7} {'peak RSS':>10}" + (f" {'output':>10}" if output else ""))
    for k in labels:
        if k in med:
            m = med[k]
            print(f"{k:22} {n / m[WALL]:9.2f} {m[CPU]:7.2f} {m[RSS]:6.0f} MiB"
                  + (f" {m[OUTPUT] / 2**20:6.2f} MiB" if output else ""))
