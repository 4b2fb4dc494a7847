import groovy.json.JsonSlurper
def Safetensors = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSources, 'common/Safetensors.groovy'))
def out = new File(basedir, 'target/evomerge/model')
def index = new JsonSlurper().parse(new File(out, 'model.safetensors.index.json'))
def shards = out.listFiles().findAll { it.name.endsWith('.safetensors') }.collect { it.name }.sort()
int n = shards.size()
assert n > 2 : "expected several shards, got ${shards}"
assert shards == (1..n).collect { String.format('model-%05d-of-%05d.safetensors', it, n) }
assert !new File(out, 'model.safetensors').exists()
long total = 0
shards.each { s ->
    def h = Safetensors.header(new File(out, s))
    assert h['__metadata__'] == [format: 'pt']
    h.each { k, v -> if (!k.startsWith('__')) { assert v.dtype == 'BF16'; total += v.data_offsets[1] - v.data_offsets[0] } }
}
assert index.metadata.total_size == total
assert index.weight_map.keySet().toList() == index.weight_map.keySet().toList().sort() : 'written in name order'
assert new JsonSlurper().parse(new File(out, 'config.json')).torch_dtype == 'bfloat16'
return true
