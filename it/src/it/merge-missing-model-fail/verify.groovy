def log = new File(basedir, 'build.log').text
def config = new File(basedir, 'src/evomerge/merge.yml').absolutePath
def missing = new File(basedir, '../models/no-such-model').toPath().normalize()
def expected = "[ERROR] Failed to execute goal dev.evomerge:evomerge-maven-plugin:${evomergeVersion}:merge (default) on project merge-missing-model-fail: ${config}:5:12 (models[1].model): model '../models/no-such-model' not found: not a local directory (${missing}); check the path -> [Help 1]"
assert log.readLines().contains(expected.toString()) : "expected line not in the log:\n${expected}"
assert !new File(basedir, 'target/evomerge').exists()
return true
