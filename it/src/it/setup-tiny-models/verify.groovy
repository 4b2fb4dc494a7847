// The setup project wrote three tiny models that share a base.
['base', 'tuned-a', 'tuned-b'].each { name ->
    def dir = new File(basedir, "../models/" + name)
    ['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json'].each { f ->
        assert new File(dir, f).isFile() : "missing ${name}/${f}"
    }
}
def log = new File(basedir, 'build.log').text
assert log.contains('Wrote a perturbation of')
return true
