// The example's check, run after `mvn package` when the integration tests build the examples (it/pom.xml). It
// asserts what these models and budgets reach (see README.md, "Measured"), with a margin, so that a regression in
// search or evaluation fails the build: on the test split, for the fitness the search optimised (the mean of the
// language and math tasks), PS and PS+DFS stay within 2 points of the best source model and beat the untuned merge
// by at least 10 points; the language-against-math run returns a Pareto set of at least 3 recipes; the table is
// printed and written. The issue's full acceptance (PS and PS+DFS 5 points above the best source, PS+DFS with every
// scale 1 below PS+DFS) is not reached by these models; README.md says so.
import groovy.json.JsonSlurper

def runs = new File(basedir, 'target/evomerge')
def json = new JsonSlurper()
def hybrid = json.parse(new File(runs, 'ps-dfs/summary.json'))
def dfs = json.parse(new File(runs, 'dfs/summary.json'))
def test = { it.test.fitness as double }

def bestSource = hybrid.sources.values().collect(test).max()
def untuned = test(hybrid.untuned_merge)
def ps = test(hybrid.ps)
def psDfs = test(hybrid.best)
def unitScales = test(hybrid.best_unit_scales)
println "test fitness: best source ${bestSource}, untuned ${untuned}, PS ${ps}, DFS ${test(dfs.best)}," +
        " PS+DFS ${psDfs}, PS+DFS with scales 1 ${unitScales}"
assert bestSource > 0.70 : "the best source scores ${bestSource}: the models or the tasks changed"
assert untuned < bestSource - 0.10 : "the untuned merge ${untuned} is not 10 points below the best source"
assert ps >= untuned + 0.10 : "PS ${ps} is not 10 points above the untuned merge ${untuned}"
assert psDfs >= untuned + 0.10 : "PS+DFS ${psDfs} is not 10 points above the untuned merge ${untuned}"
assert ps >= bestSource - 0.02 : "PS ${ps} fell more than 2 points below the best source ${bestSource}"
assert psDfs >= bestSource - 0.02 : "PS+DFS ${psDfs} fell more than 2 points below the best source ${bestSource}"
assert unitScales instanceof Double

def pareto = json.parse(new File(runs, 'pareto/pareto/pareto.json'))
assert pareto.size() >= 3 : "the Pareto set holds ${pareto.size()} recipes, not at least 3"

def table = new File(runs, 'results.md').text
assert table.contains('| PS+DFS with every scale 1 |')
assert table.contains('| untuned merge (dare_ties) |')
assert new File(basedir, 'build.log').text.contains('| PS+DFS |')
return true
