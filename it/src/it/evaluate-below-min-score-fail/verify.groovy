import groovy.json.JsonSlurper
def results = new File(basedir, 'target/evomerge/results.json')
assert results.isFile() : 'the scores are written before the build fails'
def acc = new JsonSlurper().parse(results).results.words['acc,none'] as double
def log = new File(basedir, 'build.log').text
def expected = String.format(Locale.ROOT, 'evomerge:evaluate: below minScore: words acc,none = %.4f (minScore 1.01) (all scores in %s)', acc, results.absolutePath)
assert log.contains(expected) : "expected in the log: ${expected}"
assert !log.contains('\tat dev.evomerge') : 'no stack trace for a failed threshold'
return true
