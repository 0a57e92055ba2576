# How docs/ODD.md 4.9 measured common random numbers: run, for k in 1..6,
#   towngov compare scenarios/status_quo.ron scenarios/management_reform.ron scenarios/full_reform.ron --reps 20 --seed k --out /tmp/crn/TAG-sk
# once per build (TAG e.g. base and br), then: python3 docs/crn_widths.py 6 base br
# Mean 95% CI half-width of compare's key indicators (options.csv's indicators), averaged over
# master seeds 1..S: CRN pairs option and reference runs of one job (same seeds); "independent"
# pairs the option's runs of the job with seed k+1 with the reference runs of the job with seed k.
import csv, sys, math, statistics as st
from collections import defaultdict
T19 = 2.0930240544
S = int(sys.argv[1]); tags = sys.argv[2:]
def load(d):
    runs = defaultdict(dict)
    for r in csv.DictReader(open(d + '/runs.csv')):
        if r['value'] != '':
            runs[(int(r['option']), r['indicator'])][int(r['replicate'])] = float(r['value'])
    keys = [r['indicator'] for r in csv.DictReader(open(d + '/options.csv')) if r['option'] == '1']
    return runs, keys
def hw(a, b):
    d = [a[i] - b[i] for i in sorted(set(a) & set(b))]
    return T19 * st.stdev(d) / math.sqrt(len(d))
res = {}
for tag in tags:
    jobs = [load(f'/tmp/crn/{tag}-s{k}') for k in range(1, S + 1)]
    keys = jobs[0][1]
    for o in (1, 2):
        for key in keys:
            try:
                crn = st.mean(hw(jobs[k][0][(o, key)], jobs[k][0][(0, key)]) for k in range(S))
                ind = st.mean(hw(jobs[(k + 1) % S][0][(o, key)], jobs[k][0][(0, key)]) for k in range(S))
            except (KeyError, st.StatisticsError):
                continue
            res[(tag, o, key)] = (crn, ind)
names = {1: 'management', 2: 'full'}
print('option indicator | ' + ' | '.join(f'{t} crn, ind, crn/ind' for t in tags) + ' | crn ' + '/'.join(tags[::-1]))
agg = defaultdict(list)
for (tag, o, key) in sorted(k for k in res if k[0] == tags[0]):
    if any((t, o, key) not in res for t in tags): continue
    cells = []
    for t in tags:
        c, i = res[(t, o, key)]
        cells.append(f'{c:.4g}, {i:.4g}, {c/i:.3f}' if i > 0 else f'{c:.4g}, {i:.4g}, -')
        if i > 0: agg[t].append(c / i)
    b, a = res[(tags[-1], o, key)][0], res[(tags[0], o, key)][0]
    if a > 0: agg['branch/base'].append(b / a)
    print(f'{names[o]} {key} | ' + ' | '.join(cells) + (f' | {b/a:.3f}' if a > 0 else ''))
for t, v in agg.items():
    print(f'{t}: mean {st.mean(v):.3f}, median {st.median(v):.3f} over {len(v)} (option, indicator) pairs')
