"""Strategy constants pycma uses for dimension 10 and its default population, for CmaEsParametersTest.

Writes ../../resources/cmaes/pycma-parameters.json. Rerun (a second):

    /work/venv/bin/python evomerge-runtime/src/test/reference/cmaes/pycma_parameters.py
"""
import json
import os
import warnings

warnings.filterwarnings("ignore")
import cma  # noqa: E402

DIMENSION = 10


def constants(active):
    es = cma.CMAEvolutionStrategy(DIMENSION * [3.0], 2.0, {"verbose": -9, "CMA_active": active, "seed": 1})
    weights = es.sp.weights
    learning = es.sm.parameters(mueff=weights.mueff, lam=weights.lambda_)
    return {
        "activeCovariance": active,
        "populationSize": es.sp.popsize,
        "weights": [float(w) + 0.0 for w in weights],
        "mueff": float(weights.mueff),
        "c1": float(learning["c1"]),
        "cmu": float(learning["cmu"]),
        "cc": float(es.sp.cc),
        "cs": float(es.adapt_sigma.cs),
        "damps": float(es.adapt_sigma.damps),
    }


def main():
    out = {
        "generator": "evomerge-runtime/src/test/reference/cmaes/pycma_parameters.py",
        "pycma": cma.__version__,
        "dimension": DIMENSION,
        "cases": [constants(True), constants(False)],
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "resources", "cmaes", "pycma-parameters.json")
    with open(target, "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
