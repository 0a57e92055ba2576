# How docs/ODD.md 4.9 measures what common random numbers (CRN) buy, and whether keyed draws
# (one counter-based draw per decision) buy more than one sequential stream per module.
#
# 1. For each build TAG (e.g. `main`: one stream per module; `keyed`: keyed draws), each
#    comparison NAME and each master seed k in 1..S, run
#      BIN compare REFERENCE OPTION --reps 20 --seed k --out DIR/TAG-NAME-sk -q
#    (docs/crn_widths.sh does it for the three comparisons of ODD 4.9).
# 2. python3 docs/crn_widths.py DIR S NAME TAG1 TAG2
#
# For every key indicator (options.csv) of option 1 against option 0 it prints the 95% t
# half-width of the paired difference with CRN (option and reference runs of one job, which
# share seeds) and with independent seeds (the option's runs of the job with seed k+1 paired
# with the reference's runs of the job with seed k), each averaged over the S jobs, and their
# ratio crn/ind per build; then the mean and median ratio over the indicators where both
# builds have a non-zero width, and the keyed build's CRN half-width over the other's.
import csv, sys, math, statistics as st
from collections import defaultdict

T19 = 2.0930240544  # Student t, 19 degrees of freedom, 0.975


def load(d):
    runs = defaultdict(dict)
    with open(d + '/runs.csv') as f:
        for r in csv.DictReader(f):
            if r['value'] != '':
                runs[(int(r['option']), r['indicator'])][int(r['replicate'])] = float(r['value'])
    with open(d + '/options.csv') as f:
        keys = [r['indicator'] for r in csv.DictReader(f) if r['option'] == '1']
    return runs, keys


def hw(a, b):
    d = [a[i] - b[i] for i in sorted(set(a) & set(b))]
    return T19 * st.stdev(d) / math.sqrt(len(d))


def measure(root, s, name, tag):
    jobs = [load(f'{root}/{tag}-{name}-s{k}') for k in range(1, s + 1)]
    out = {}
    for key in jobs[0][1]:
        try:
            crn = st.mean(hw(jobs[k][0][(1, key)], jobs[k][0][(0, key)]) for k in range(s))
            ind = st.mean(hw(jobs[(k + 1) % s][0][(1, key)], jobs[k][0][(0, key)]) for k in range(s))
        except (KeyError, st.StatisticsError):
            continue
        out[key] = (crn, ind)
    return out


def main():
    root, s, name, tags = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    res = {t: measure(root, s, name, t) for t in tags}
    keys = [k for k in res[tags[0]] if all(k in res[t] and res[t][k][1] > 0 for t in tags)]
    print(f'## {name}: {s} jobs of 20 replications per build')
    print('indicator | ' + ' | '.join(f'{t} crn, ind, crn/ind' for t in tags)
          + f' | crn {tags[-1]}/{tags[0]}')
    ratio = {t: [] for t in tags}
    cross = []
    for key in keys:
        cells = []
        for t in tags:
            c, i = res[t][key]
            cells.append(f'{c:.4g}, {i:.4g}, {c / i:.3f}')
            ratio[t].append(c / i)
        a, b = res[tags[0]][key][0], res[tags[-1]][key][0]
        if a > 0:
            cross.append(b / a)
        print(f'{key} | ' + ' | '.join(cells) + (f' | {b / a:.3f}' if a > 0 else ' | -'))
    for t in tags:
        v = ratio[t]
        print(f'{name} {t}: crn/ind mean {st.mean(v):.3f}, median {st.median(v):.3f} '
              f'over {len(v)} indicators')
    if cross:
        print(f'{name} crn {tags[-1]}/{tags[0]}: mean {st.mean(cross):.3f}, '
              f'median {st.median(cross):.3f} over {len(cross)} indicators')


main()
