import groovy.json.JsonSlurper

def work = new File(basedir, 'target/evomerge')
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] PS search paused after generation 1: resume to go on')
assert log.contains('[INFO] PS search resumed after generation 1 (4 evaluations)')
def history = new File(work, 'history.jsonl').readLines()
assert history.size() == 8
assert history.collect { new JsonSlurper().parseText(it).generation } == [0, 0, 0, 0, 1, 1, 1, 1]
assert new File(work, 'best.yml').text.contains('merge_method: task_arithmetic')
assert new File(work, 'summary.json').isFile()
return true
