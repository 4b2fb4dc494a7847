import groovy.json.JsonSlurper
def Safetensors = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itSources, 'common/Safetensors.groovy'))
def out = new File(basedir, 'target/evomerge/model')
assert new JsonSlurper().parse(new File(out, 'config.json')).num_hidden_layers == 4
def m = new File(out, 'model.safetensors')
def a = new File(basedir, '../models/tuned-a/model.safetensors')
def b = new File(basedir, '../models/tuned-b/model.safetensors')
assert Safetensors.floats(m, 'model.layers.1.mlp.up_proj.weight') == Safetensors.floats(a, 'model.layers.1.mlp.up_proj.weight')
assert Safetensors.floats(m, 'model.layers.2.mlp.up_proj.weight') == Safetensors.floats(b, 'model.layers.1.mlp.up_proj.weight')
assert Safetensors.floats(m, 'model.layers.3.self_attn.q_proj.weight') == Safetensors.floats(b, 'model.layers.2.self_attn.q_proj.weight')
assert Safetensors.floats(m, 'model.embed_tokens.weight') == Safetensors.floats(a, 'model.embed_tokens.weight')
assert Safetensors.floats(m, 'lm_head.weight') == Safetensors.floats(b, 'lm_head.weight') : 'post weights come from the last slice'
assert !Safetensors.header(m).containsKey('model.layers.4.mlp.up_proj.weight')
return true
