def Safetensors = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSources, 'common/Safetensors.groovy'))
def out = new File(basedir, 'target/evomerge/model')
['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md'].each {
    assert new File(out, it).isFile() : "missing ${it}"
}
assert new File(out, 'mergekit_config.yml').text == new File(basedir, 'src/evomerge/merge.yml').text
def a = new File(basedir, '../models/tuned-a/model.safetensors')
def b = new File(basedir, '../models/tuned-b/model.safetensors')
def m = new File(out, 'model.safetensors')
def names = Safetensors.header(m).keySet().findAll { !it.startsWith('__') }
assert names.size() == 1 + 4 * 9 + 2
names.each { name ->
    float[] x = Safetensors.floats(a, name), y = Safetensors.floats(b, name), z = Safetensors.floats(m, name)
    for (int i = 0; i < z.length; i++) {
        float expected = (float) ((0.6f * x[i] + 0.4f * y[i]) / 1.0f)
        assert Math.abs(z[i] - expected) <= 1e-6f * Math.max(1f, Math.abs(expected)) : "${name}[${i}]: ${z[i]} != ${expected}"
    }
}
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Merging 39 tensors from 2 models with linear into')
return true
