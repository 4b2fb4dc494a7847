def log = new File(basedir, 'build.log').text
def config = new File(basedir, 'src/evomerge/merge.yml').absolutePath
def expected = "[ERROR] Failed to execute goal dev.evomerge:evomerge-maven-plugin:${evomergeVersion}:merge (default) on project merge-bad-yaml-fail: ${config}:6:1: invalid YAML: expected ',' or ']', but got <stream end>; fix the YAML syntax there -> [Help 1]"
assert log.readLines().contains(expected.toString()) : "expected line not in the log:\n${expected}"
assert !log.contains('\tat dev.evomerge') : 'no stack trace for a user error'
assert !new File(basedir, 'target/evomerge').exists()
return true
