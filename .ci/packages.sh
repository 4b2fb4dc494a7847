# Sourced by .ci/run: installs with apt the Debian packages that the tests start themselves
# (Slurm and munge for the cluster executor, nginx with WebDAV as a Maven repository, Chromium for the report).
# Installs only what is missing, so a developer's machine that has them is left alone.

evomerge_test_packages="slurm-wlm munge nginx chromium"

missing_packages() {
    local pkg
    for pkg in $evomerge_test_packages; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$pkg"
    done
}

missing=$(missing_packages)
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "error: the tests need these Debian packages: $missing; install them as root (apt-get install $missing)" >&2
        exit 1
    fi
    echo "Installing test packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    # Debian starts services on install where it can; the tests start their own on loopback.
    service nginx stop >/dev/null 2>&1 || true
fi
