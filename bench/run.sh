#!/usr/bin/env bash
# Runs one of the committed benchmarks: bench/run.sh NAME [ARGS...], e.g. bench/run.sh read --size-gb 3.
# NAME selects dev.evomerge.bench.<Name>Benchmark in evomerge-runtime's test sources; each prints its own
# figures next to a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
if [ $# -lt 1 ]; then
    echo "usage: bench/run.sh NAME [ARGS...]  (NAME: $(ls evomerge-runtime/src/test/java/dev/evomerge/bench \
        | sed -n 's/Benchmark\.java$//p' | tr 'A-Z' 'a-z' | paste -sd' '))" >&2
    exit 2
fi
name=$1
shift
class="dev.evomerge.bench.$(tr '[:lower:]' '[:upper:]' <<< "${name:0:1}")${name:1}Benchmark"
./mvnw -q -B -ntp -pl evomerge-runtime -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="evomerge-runtime/target/test-classes:evomerge-runtime/target/classes:$(cat evomerge-runtime/target/bench-classpath.txt)"
exec java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx${BENCH_HEAP:-2g} -cp "$cp" "$class" "$@"
