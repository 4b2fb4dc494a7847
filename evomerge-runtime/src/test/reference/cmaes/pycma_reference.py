"""Reference numbers for evomerge's CMA-ES tests, from N. Hansen's pycma.

Runs pycma on the standard 10-D test functions with the settings CmaEsReferenceTest uses and writes the medians
to ../../resources/cmaes/pycma-reference.json. Rerun (takes about 15 minutes on one core):

    /work/venv/bin/python evomerge-runtime/src/test/reference/cmaes/pycma_reference.py

Settings (the same in the Java test): dimension 10, x0 = 3 * ones(10), sigma0 = 2, default population
4 + floor(3 ln 10) = 10 unless stated, target f <= 1e-8 (pycma's ftarget), at most 1e6 evaluations, pycma's own
termination criteria otherwise; seeds 1..runs. Each function is run with active CMA on (pycma's default
CMA_active=True, negative recombination weights) and off (positive weights only). Rastrigin is also run with a
population of 200, where the success rate is neither 0 nor 1 and so says something.
"""
import json
import os
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import cma  # noqa: E402

DIMENSION = 10
X0 = 3.0
SIGMA0 = 2.0
FTARGET = 1e-8
MAXFEVALS = 1e6

FUNCTIONS = {
    "sphere": cma.ff.sphere,
    "ellipsoid": cma.ff.elli,
    "rosenbrock": cma.ff.rosen,
    "rastrigin": cma.ff.rastrigin,
}

# (function, active, population or None for the default, runs)
CASES = [
    ("sphere", True, None, 25),
    ("sphere", False, None, 25),
    ("ellipsoid", True, None, 25),
    ("ellipsoid", False, None, 25),
    ("rosenbrock", True, None, 25),
    ("rosenbrock", False, None, 25),
    ("rastrigin", True, None, 50),
    ("rastrigin", False, None, 50),
    ("rastrigin", True, 200, 100),
]


def run(f, seed, active, popsize):
    opts = {"seed": seed, "ftarget": FTARGET, "maxfevals": MAXFEVALS, "CMA_active": active, "verbose": -9}
    if popsize:
        opts["popsize"] = popsize
    es = cma.CMAEvolutionStrategy(DIMENSION * [X0], SIGMA0, opts)
    while not es.stop():
        xs = es.ask()
        es.tell(xs, [f(x) for x in xs])
    return es.result.fbest, es.result.evaluations, es.sp.popsize


def main():
    cases = []
    for name, active, popsize, runs in CASES:
        results = [run(FUNCTIONS[name], seed, active, popsize) for seed in range(1, runs + 1)]
        fbest = [r[0] for r in results]
        successes = [r[1] for r in results if r[0] <= FTARGET]
        case = {
            "function": name,
            "activeCovariance": active,
            "populationSize": results[0][2],
            "runs": runs,
            "successes": len(successes),
            "successRate": len(successes) / runs,
            "medianEvaluationsToTarget": float(np.median(successes)) if successes else None,
            "medianFinalBest": float(np.median(fbest)),
        }
        print(json.dumps(case), file=sys.stderr, flush=True)
        cases.append(case)
    out = {
        "generator": "evomerge-runtime/src/test/reference/cmaes/pycma_reference.py",
        "pycma": cma.__version__,
        "dimension": DIMENSION,
        "x0": X0,
        "sigma0": SIGMA0,
        "ftarget": FTARGET,
        "maxEvaluations": MAXFEVALS,
        "cases": cases,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "resources", "cmaes", "pycma-reference.json")
    with open(target, "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
