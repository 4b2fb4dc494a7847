// Starts nginx with WebDAV on a free loopback port, deploys a merged model as a snapshot and as a release, resolves
// each back into a fresh local repository through a consumer project, checks it against the lock, and stops nginx.
import groovy.json.JsonSlurper
import java.security.MessageDigest

def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def work = new File(basedir, 'target/deploy')
work.deleteDir()
work.mkdirs()

def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def settings = new File(work, 'settings.xml')
settings.text = new File(itSources, 'settings.xml').text.replace('@localRepositoryUrl@',
        new File(outerRepository).toURI().toString())
def build = { File dir, String name, List<String> args ->
    def log = new File(dir, name + '.log')
    def pb = new ProcessBuilder([mvn, '-B', '-ntp', '-s', settings.path] + args).directory(dir)
            .redirectErrorStream(true).redirectOutput(log)
    pb.environment().put('DJL_OFFLINE', 'true')
    pb.environment().put('OPT_OUT_TRACKING', 'true')
    pb.environment().remove('MAVEN_OPTS')
    def code = pb.start().waitFor()
    assert code == 0 : "mvn ${args.join(' ')} failed in ${dir}:\n" + log.readLines().takeRight(40).join('\n')
    return log.text
}

// nginx: its own prefix, a repository folder the worker user can write, a free port
def nginxDir = new File(work, 'nginx')
new File(nginxDir, 'repo').mkdirs()
new File(nginxDir, 'tmp').mkdirs()
['chmod', '777', new File(nginxDir, 'repo').path, new File(nginxDir, 'tmp').path].execute().waitFor()
int port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
def p = nginxDir.path
new File(nginxDir, 'nginx.conf').text = """
worker_processes 1;
pid ${p}/nginx.pid;
error_log ${p}/error.log;
events { worker_connections 64; }
http {
  access_log ${p}/access.log;
  client_body_temp_path ${p}/tmp/body;
  proxy_temp_path ${p}/tmp/proxy;
  fastcgi_temp_path ${p}/tmp/fastcgi;
  uwsgi_temp_path ${p}/tmp/uwsgi;
  scgi_temp_path ${p}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    location /repo/ {
      alias ${p}/repo/;
      dav_methods PUT DELETE MKCOL;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      client_max_body_size 0;
      autoindex on;
    }
  }
}
"""
def nginx = ['nginx', '-p', p, '-c', p + '/nginx.conf'].execute()
nginx.waitForProcessOutput(System.out, System.err)
assert nginx.exitValue() == 0 : "nginx did not start (see ${p}/error.log)"
def url = "http://127.0.0.1:${port}/repo"
try {
    def models = new File(basedir, '../models').canonicalFile
    ['1.0-SNAPSHOT', '1.0'].each { version ->
        // the producer: a project of its own (its own .mvn, so no jvm.config with native access)
        def producer = new File(work, 'producer-' + version)
        new File(producer, '.mvn').mkdirs()
        new File(producer, 'src/evomerge').mkdirs()
        new File(producer, 'src/evomerge/merge.yml').text = """merge_method: linear
models:
  - model: ${models}/tuned-a
    parameters: {weight: 0.7}
  - model: ${models}/tuned-b
    parameters: {weight: 0.3}
dtype: float32
"""
        new File(producer, 'pom.xml').text = new File(basedir, 'producer.pom').text
                .replace('@model.version@', version).replace('@evomerge.version@', evomergeVersion)
        def log = build(producer, 'deploy', ['-Dmaven.repo.local=' + localRepositoryPath,
                '-DaltDeploymentRepository=webdav::' + url, 'deploy'])
        // no .mvn/jvm.config here: the build works; Maven 3.9.16's launcher enables native access itself, older
        // ones leave it off, and then the plugin says so in one INFO line
        assert log.count('Native access is not enabled in this Maven JVM') <= 1
        def target = new File(producer, 'target')
        def zip = new File(target, "tiny-model-${version}-evomerge-model.zip")
        def lock = new File(target, 'evomerge/model/evomerge.lock.json')
        assert zip.isFile() && lock.isFile()
        byte[] firstZip = zip.bytes

        // entries stored, in path order, with the build's output timestamp
        def entries = []
        new java.util.zip.ZipFile(zip).withCloseable { z ->
            z.entries().each { e ->
                assert e.method == java.util.zip.ZipEntry.STORED : e.name
                assert e.timeLocal == java.time.LocalDateTime.of(2026, 1, 1, 0, 0) : e.name
                entries << e.name
            }
        }
        assert entries == entries.toSorted()
        assert entries.contains('evomerge.lock.json') && entries.contains('model.safetensors')

        // what the repository holds
        def dir = new File(nginxDir, "repo/dev/evomerge/it/deploy/tiny-model/${version}")
        def files = dir.list() as List
        if (version.endsWith('-SNAPSHOT')) {
            assert files.contains('maven-metadata.xml')
            def stamped = files.find { it ==~ /tiny-model-1\.0-\d{8}\.\d{6}-1-evomerge-model\.zip/ }
            assert stamped : files
            assert new File(dir, stamped).bytes == firstZip
        } else {
            ['evomerge-model.zip', 'evomerge-lock.json', 'evomerge-recipe.yml'].each {
                assert files.contains("tiny-model-1.0-${it}".toString()) : files
                assert files.contains("tiny-model-1.0-${it}.sha1".toString()) : files
            }
            assert new File(dir, 'tiny-model-1.0-evomerge-model.zip').bytes == firstZip
            assert new File(dir, 'tiny-model-1.0-evomerge-lock.json').text == lock.text
        }

        // reproducible: building again gives the same zip, byte for byte
        build(producer, 'package-again', ['-Dmaven.repo.local=' + localRepositoryPath, 'package'])
        assert zip.bytes == firstZip : 'a second build changed the model zip'

        // the consumer, with a fresh local repository: plugins from the IT repository, the model from nginx
        def consumer = new File(work, 'consumer-' + version)
        new File(consumer, '.mvn').mkdirs()
        new File(consumer, 'pom.xml').text = new File(basedir, 'consumer.pom').text
                .replace('@model.version@', version).replace('@evomerge.version@', evomergeVersion)
        def fresh = new File(work, 'fresh-repo-' + version)
        def clog = build(consumer, 'verify', ['-Dmaven.repo.local=' + fresh, '-Dwebdav.url=' + url,
                '-Dit.repo.url=' + new File(localRepositoryPath.toString()).toURI(), 'verify'])
        assert clog.contains('files match its lock')
        assert clog.contains('input files of 2 models match')
        def resolved = new File(fresh, "dev/evomerge/it/deploy/tiny-model/${version}/tiny-model-${version}-evomerge-model.zip")
        assert resolved.bytes == firstZip
        def unpacked = new File(consumer, 'target/evomerge/models/tiny-model')
        def locked = new JsonSlurper().parse(new File(unpacked, 'evomerge.lock.json'))
        assert locked.outputs.size() >= 5
        locked.outputs.each { f ->
            def file = new File(unpacked, f.path)
            assert file.length() == f.size && sha256(file) == f.sha256 : f.path
            assert sha256(new File(target, 'evomerge/model/' + f.path)) == f.sha256 : f.path
        }
        assert new JsonSlurper().parse(lock) == locked
    }
} finally {
    def pid = new File(nginxDir, 'nginx.pid')
    if (pid.isFile()) {
        ['kill', '-QUIT', pid.text.trim()].execute().waitFor()
    }
}
return true
