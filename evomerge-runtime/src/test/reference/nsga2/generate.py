"""Writes rank_and_crowding.json: NSGA-II survivor cuts on fixed populations, as pymoo's RankAndCrowding makes them.

Run with a Python that has pymoo 0.6 (the fixture records the version):
    python generate.py > ../../resources/nsga2/rank_and_crowding.json

Each case is a population of score vectors (each objective maximised or minimised), the number of survivors, and
what pymoo's survival gives: the survivors (as a sorted set of indices) and, for every member of the fronts it
looked at, the front's rank and its crowding distance (pymoo divides Deb's sum by the number of objectives; this
file gives Deb's sum). pymoo breaks ties in the crowding distance at random; a case is kept only when 64 different
seeds all give the same survivors, so its cut is determined by Deb's rule alone. At least 40 cases are cut inside a
front by a finite crowding distance.
"""
import json
import sys

import numpy as np
import pymoo
from pymoo.core.population import Population
from pymoo.core.problem import Problem
from pymoo.operators.survival.rank_and_crowding import RankAndCrowding


def main():
    rng = np.random.default_rng(20020401)
    cases = []
    by_crowding = 0
    attempts = 0
    while (len(cases) < 60 or by_crowding < 40) and attempts < 20000:
        attempts += 1
        m = int(rng.choice([2, 2, 3]))
        n = int(rng.integers(6, 21))
        keep = int(rng.integers(2, n))
        grid = int(rng.choice([5, 10, 1000]))  # coarse grids give several fronts, ties and duplicates
        scores = np.round(rng.integers(0, grid, size=(n, m)) / grid, 3)
        directions = ["maximize" if rng.random() < 0.5 else "minimize" for _ in range(m)]
        F = np.array([[-s if d == "maximize" else s for s, d in zip(row, directions)] for row in scores],
                     dtype=float)
        survivor_sets = set()
        rank = crowd = None
        for seed in range(64):
            pop = Population.new("F", F)
            problem = Problem(n_var=1, n_obj=m)
            out = RankAndCrowding().do(problem, pop, n_survive=keep, random_state=np.random.default_rng(seed))
            ids = {id(ind) for ind in out}
            survivor_sets.add(tuple(i for i, ind in enumerate(pop) if id(ind) in ids))
            if rank is None:
                rank = [None if ind.get("rank") is None else int(ind.get("rank")) for ind in pop]
                crowd = [None if ind.get("crowding") is None else float(ind.get("crowding")) * m for ind in pop]
        if len(survivor_sets) != 1:
            continue
        survivors = next(iter(survivor_sets))
        last = max(r for r in rank if r is not None)
        split = [i for i, r in enumerate(rank) if r == last]
        decided = any(i not in survivors for i in split) and any(
            not np.isinf(crowd[i]) for i in split if i in survivors)
        if not decided and len(cases) - by_crowding >= 20:
            continue
        by_crowding += decided
        cases.append({
            "directions": directions,
            "scores": [[float(v) for v in row] for row in scores],
            "keep": keep,
            "survivors": list(survivors),
            "rank": rank,
            "crowding": [None if c is None else ("Infinity" if np.isinf(c) else c) for c in crowd],
        })
    sys.stdout.write('{"generator": "evomerge-runtime/src/test/reference/nsga2/generate.py",\n')
    sys.stdout.write(' "pymoo": "%s",\n "cases": [\n' % pymoo.__version__)
    sys.stdout.write(",\n".join("  " + json.dumps(c) for c in cases))
    sys.stdout.write("\n ]\n}\n")


main()
