"""Reference values for towngov's second-order Sobol indices (tests/it/sensitivity.rs).

Run with SALib 1.6 and numpy (a venv: python3 -m venv v && v/bin/pip install SALib==1.6.0):

    python3 tests/data/salib/second_order.py tests/data/salib

For each case it samples a Saltelli design with calc_second_order=True, evaluates a test
function on it and writes `<case>.Y.txt` (one output per line, shortest round-trip text) and
`<case>.indices.txt` (`S1 i value`, `ST i value`, `S2 i j value` lines) from
`sobol.analyze(problem, Y, calc_second_order=True)`. The confidence intervals are not written:
SALib's come from numpy's generator, towngov's from its own bootstrap.
"""

import sys

import numpy as np
import SALib
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami, Sobol_G

out = sys.argv[1] if len(sys.argv) > 1 else "."

cases = {
    "ishigami": (
        {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3},
        128,
        Ishigami.evaluate,
    ),
    "g5": (
        {"num_vars": 5, "names": [f"x{i}" for i in range(1, 6)], "bounds": [[0, 1]] * 5},
        64,
        lambda X: Sobol_G.evaluate(X, np.array([0.0, 1.0, 4.5, 9.0, 99.0])),
    ),
}

for name, (problem, n, f) in cases.items():
    X = sobol_sample.sample(problem, n, calc_second_order=True, seed=7)
    Y = f(X)
    with open(f"{out}/{name}.Y.txt", "w") as fh:
        fh.write(f"# SALib {SALib.__version__ if hasattr(SALib, '__version__') else '1.6'}: {name}, N = {n}, D = {problem['num_vars']}, calc_second_order=True\n")
        for y in Y:
            fh.write(repr(float(y)) + "\n")
    S = sobol.analyze(problem, Y, calc_second_order=True, num_resamples=10, seed=1)
    d = problem["num_vars"]
    with open(f"{out}/{name}.indices.txt", "w") as fh:
        fh.write(f"# sobol.analyze(problem, Y, calc_second_order=True) of {name}.Y.txt\n")
        for i in range(d):
            fh.write(f"S1 {i} {repr(float(S['S1'][i]))}\n")
        for i in range(d):
            fh.write(f"ST {i} {repr(float(S['ST'][i]))}\n")
        for i in range(d):
            for j in range(i + 1, d):
                fh.write(f"S2 {i} {j} {repr(float(S['S2'][i, j]))}\n")
