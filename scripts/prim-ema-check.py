#!/usr/bin/env python3
# Cross-checks towngov explore's PRIM against EMA Workbench's prim on the same futures and labels.
# Opt-in (needs PyPI): python3 -m venv /tmp/ema && /tmp/ema/bin/pip install ema_workbench
# then: /tmp/ema/bin/python scripts/prim-ema-check.py OUT   (OUT: an explore output folder)
# Prints both peeling/pasting trajectories and both chosen boxes with their quasi-p-values.
import json, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from ema_workbench.analysis import prim
import logging; logging.disable(logging.CRITICAL)

out = sys.argv[1]
d = json.load(open(f"{out}/explore.json"))
fut = pd.read_csv(f"{out}/futures.csv")
params = d["parameters"]
ref = [o for o in d["options"] if o["reference"]][0]["name"]
for o in d["options"]:
    for f in o["failures"]:
        p = f["prim"]
        if not p or not p["restrictions"]:
            continue
        c = f["criterion"]
        ind = c["indicator"]
        sub = fut[fut.indicator == ind]
        a = sub[sub.option == o["name"]].set_index("future")
        r = sub[sub.option == ref].set_index("future")
        diff = a.value - r.value
        if c["change"] == "Relative":
            diff = diff / r.value
        y = (diff > c["threshold"]) if c["op"] == "Above" else (diff <= c["threshold"])
        x = a[params].copy()
        for col in x.columns:
            if x[col].dtype == object:
                x[col] = x[col].astype("category")
        x = x.reset_index(drop=True)
        y = y.to_numpy()
        assert y.sum() == f["failing"], (y.sum(), f["failing"])
        pr = prim.Prim(x, y, threshold=0.8, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05,
                       obj_function=prim.PRIMObjectiveFunctions.LENIENT1)
        box = pr.find_box()
        traj = box.peeling_trajectory
        # towngov's rule: densest box with coverage >= 0.8
        ok = traj[traj.coverage >= 0.8]
        i = ok.density.idxmax()
        print(f"== {o['name']}: {c['name']} ({y.sum()} of {len(y)} fail)")
        print("EMA trajectory (coverage, density, mass):")
        print(traj[["coverage", "density", "mass", "res_dim"]].round(4).to_string())
        print("towngov trajectory:")
        for k, t in enumerate(p["trajectory"]):
            print(k, t["step"], round(t["coverage"], 4), round(t["density"], 4), round(t["mass"], 4), len(t["restricted"]))
        print(f"EMA box {i}: coverage {traj.coverage[i]:.4f} density {traj.density[i]:.4f} mass {traj.mass[i]:.4f}")
        print(box.box_lims[i].to_string())
        print(f"towngov box {p['chosen']}: coverage {p['coverage']:.4f} density {p['density']:.4f} mass {p['mass']:.4f}")
        for rr in p["restrictions"]:
            print("  ", rr["parameter"], rr["lower"], rr["upper"], rr["levels"], rr["qp_lower"], rr["qp_upper"])
        print("EMA qp:", box.qp[i])
