"""Designs sampled by SALib 1.6, for towngov's design-file tests (tests/it/sensitivity_scale.rs).

    python3 tests/data/salib/designs.py tests/data/salib

Writes, with np.savetxt (SALib's own text layout), for two parameters of the classroom town
(policy.platform.integration in [0, 1], policy.committee.bounce_prob in [0.05, 0.3]):
sobol.design.txt (sobol.sample, N = 4, calc_second_order=False: 16 rows) and
morris.design.txt (morris.sample, 3 trajectories on 4 levels: 9 rows).
"""

import sys

import numpy as np
from SALib.sample import morris, sobol

out = sys.argv[1] if len(sys.argv) > 1 else "."
problem = {
    "num_vars": 2,
    "names": ["policy.platform.integration", "policy.committee.bounce_prob"],
    "bounds": [[0.0, 1.0], [0.05, 0.3]],
}
np.savetxt(f"{out}/sobol.design.txt", sobol.sample(problem, 4, calc_second_order=False, seed=3))
np.savetxt(f"{out}/morris.design.txt", morris.sample(problem, 3, num_levels=4, seed=3))
