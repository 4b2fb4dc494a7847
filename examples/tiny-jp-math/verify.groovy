// The example's acceptance, checked after `mvn package` when the integration tests build the examples
// (it/pom.xml), so that a regression in search or evaluation fails the build. On the test split, for the fitness the
// search optimised (the mean of the language and math tasks): PS and PS+DFS each beat the best source model and the
// untuned merge by at least 5 points, and PS+DFS with every scale set to 1 scores below PS+DFS (or, when the DFS
// stage kept its start point, the PS model, because no path beat it on the validation split, PS+DFS is PS); the
// language-against-math run returns a Pareto set of at least 3 recipes. The measured margins are in README.md.
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
assert ps >= bestSource + 0.05 : "PS ${ps} is not 5 points above the best source ${bestSource}"
assert ps >= untuned + 0.05 : "PS ${ps} is not 5 points above the untuned merge ${untuned}"
assert psDfs >= bestSource + 0.05 : "PS+DFS ${psDfs} is not 5 points above the best source ${bestSource}"
assert psDfs >= untuned + 0.05 : "PS+DFS ${psDfs} is not 5 points above the untuned merge ${untuned}"
if (hybrid.selection.chosen_snapshot == 'start') {
    // no DFS path beat its start point, the PS model, on the validation split: the stage kept that model, whose
    // path is the PS model's own layers with every scale 1
    assert psDfs == ps : "the DFS stage kept its start point, the PS model, but PS+DFS ${psDfs} is not PS ${ps}"
    assert unitScales == psDfs : "PS+DFS's scales are all 1, but setting them to 1 moved ${psDfs} to ${unitScales}"
} else {
    assert unitScales < psDfs : "PS+DFS with every scale 1 (${unitScales}) is not below PS+DFS (${psDfs})"
}

def pareto = json.parse(new File(runs, 'pareto/pareto/pareto.json'))
assert pareto.size() >= 3 : "the Pareto set holds ${pareto.size()} recipes, not at least 3"

def table = new File(runs, 'results.md').text
assert table.contains('| PS+DFS with every scale 1 |')
assert table.contains('| untuned merge (dare_ties) |')
assert new File(basedir, 'build.log').text.contains('| PS+DFS |')
return true
