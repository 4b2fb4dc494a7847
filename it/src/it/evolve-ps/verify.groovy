import groovy.json.JsonSlurper

def work = new File(basedir, 'target/evomerge')
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] PS generation 1: 4 evaluations, best ')
assert log.contains('[INFO] PS generation 2: 8 evaluations, best ')
def history = new File(work, 'history.jsonl').readLines()
assert history.size() == 8
def first = new JsonSlurper().parseText(history[0])
assert first.stage == 'ps' && first.generation == 0 && first.genome.size() == 2 && first.error == null
assert first.fitness == -first.scores.words['perplexity,none']
def best = new File(work, 'best.yml').text
assert best.contains('merge_method: task_arithmetic')
assert new File(work, 'best/model.safetensors').isFile()
assert new File(work, 'best/config.json').isFile()
def summary = new JsonSlurper().parse(new File(work, 'summary.json'))
assert summary.sources.size() == 3
assert summary.best.validation.fitness instanceof Number
assert summary.best.test.fitness instanceof Number
assert summary.untuned_merge.search.fitness instanceof Number
assert history.any { it.contains('"recipe":"' + summary.best.recipe + '"') }
return true
