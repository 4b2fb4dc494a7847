def log = new File(basedir, 'build.log').text
def config = new File(basedir, 'src/evomerge/evolve.yml').absolutePath
def expected = "[ERROR] Failed to execute goal dev.evomerge:evomerge-maven-plugin:${evomergeVersion}:evolve (default) on project evolve-bad-config-fail: ${config}:11:14 (search.optimizer): unknown optimizer 'adam'; use one of cmaes, ga, nsga2 -> [Help 1]"
assert log.readLines().contains(expected.toString()) : "expected line not in the log:\n${expected}"
assert !log.contains('\tat dev.evomerge') : 'no stack trace for a user error'
assert !new File(basedir, 'target/evomerge').exists()
return true
