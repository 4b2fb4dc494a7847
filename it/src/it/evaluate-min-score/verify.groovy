import groovy.json.JsonSlurper
def results = new File(basedir, 'target/evomerge/results.json')
assert results.isFile()
def json = new JsonSlurper().parse(results)
def acc = json.results.words['acc,none']
def perplexity = json.results.words['perplexity,none']
assert acc != null && acc >= 0 && acc <= 1
assert perplexity != null && perplexity > 1
def log = new File(basedir, 'build.log').text
assert log.contains(String.format(Locale.ROOT, '[INFO] words acc,none = %.4f (minScore 0.0)', acc as double))
assert new File(basedir, 'target/evomerge/model/evomerge.lock.json').isFile()
// Maven's JVM here has no vector module: the goal works on PyTorch's decode path and says so once
assert log.count("The JDK's vector module is not in this Maven JVM") == 1
return true
