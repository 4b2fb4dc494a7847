import groovy.json.JsonSlurper
import java.security.MessageDigest

def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def work = new File(basedir, 'target/evomerge')
def log = new File(basedir, 'build.log').text

// the lock in best/, and verify rebuilt the chosen model to its hashes
def lockFile = new File(work, 'best/evomerge.lock.json')
def lock = new JsonSlurper().parse(lockFile)
assert lock.kind == 'evolve' && lock.seed == 1
assert lock.recipe == new File(work, 'best.yml').text
assert lock.inputs*.reference == ['../models/base', '../models/tuned-a', '../models/tuned-b']
lock.outputs.each { assert sha256(new File(work, 'best/' + it.path)) == it.sha256 : it.path }
assert log.contains("All ${lock.outputs.size()} output files of ${new File(work, 'best').canonicalPath} rebuild to the hashes evomerge.lock.json records")

// installed with the project: recipe, lock, report and model
def repo = new File(localRepositoryPath, 'dev/evomerge/it/evolve-attach-report/1')
def installed = { String classifier, String ext -> new File(repo, "evolve-attach-report-1-${classifier}.${ext}") }
assert installed('evomerge-recipe', 'yml').text == new File(work, 'best.yml').text
assert installed('evomerge-lock', 'json').text == lockFile.text
def model = new java.util.zip.ZipFile(installed('evomerge-model', 'zip'))
def names = model.entries().collect { it.name }
assert names.contains('model.safetensors') && names.contains('evomerge.lock.json')
model.entries().each { assert it.method == java.util.zip.ZipEntry.STORED && it.timeLocal.year == 2026 }
model.close()
def report = new java.util.zip.ZipFile(installed('evomerge-report', 'zip'))
assert report.entries().collect { it.name } == ['index.html']
report.close()

// the report, in the work directory and in the site
def page = new File(work, 'report/index.html').text
assert page.contains('<svg class="fitness-chart"') && page.contains('<svg class="heatmap"')
assert page.contains('<th>chosen recipe</th>')
assert new File(basedir, 'target/site/evomerge/index.html').text == page
return true
