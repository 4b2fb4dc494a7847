// Maven's offline mode (-o) means no download: a Hub id the cache lacks fails the build with one line saying so
def log = new File(basedir, 'build.log').text
def expected = "model 'evomerge-test/not-in-any-cache@main' is not in the Hugging Face cache"
def line = log.readLines().find { it.contains(expected) }
assert line != null : "expected the offline error in the log"
assert line.contains("downloads are off (HF_HUB_OFFLINE, or Maven's offline mode)") : line
assert !log.contains('Downloading evomerge-test/not-in-any-cache')
assert !new File(basedir, 'target/evomerge').exists()
return true
