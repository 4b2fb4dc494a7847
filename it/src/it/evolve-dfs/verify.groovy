import groovy.json.JsonSlurper

def work = new File(basedir, 'target/evomerge')
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] DFS generation 2: 8 evaluations, best ')
def history = new File(work, 'history.jsonl').readLines()
assert history.size() == 8
assert history.every { new JsonSlurper().parseText(it).stage == 'dfs' }
def best = new File(work, 'best.yml').text
assert best.contains('merge_method: passthrough')
assert new File(work, 'best/model.safetensors').isFile()
def summary = new JsonSlurper().parse(new File(work, 'summary.json'))
assert summary.sources.size() == 2
return true
