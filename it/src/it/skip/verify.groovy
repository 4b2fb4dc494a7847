def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Skipping evomerge:synth (evomerge.skip is true)')
assert !new File(basedir, 'target/model').exists()
return true
