# Sourced by .ci/run and bench/run.sh: finds a JDK 25 and exports JAVA_HOME and PATH, or fails with a message.

java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

find_jdk25() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        if [ "$(java_major "$candidate")" = "25" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

if ! JAVA_HOME=$(find_jdk25); then
    echo "error: no JDK 25 found (looked at \$JAVA_HOME, /usr/lib/jvm/*, /opt/java/*, /opt/jdk*, ~/.sdkman);" \
         "install one (e.g. Temurin 25) and set JAVA_HOME" >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
