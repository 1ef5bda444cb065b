#!/usr/bin/env bash
# Make sure the system programs the project needs are installed.
#
#   .ci/system-deps.sh [chromium] [postgresql] [npm] [make] [redis] [nginx] [wrk]
#                                          (no argument: the first four, what `make test` needs)
#
# Missing ones are installed from Debian's packages when running as root (one
# `apt-get update` first); otherwise this fails with a message that says what to install.
set -euo pipefail

have() {
    case "$1" in
        chromium) [ -x /usr/bin/chromium ] ;;
        postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
        npm) command -v npm >/dev/null ;;
        make) command -v make >/dev/null ;;
        redis) command -v redis-server >/dev/null ;;
        nginx) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] ;;
        wrk) command -v wrk >/dev/null ;;
        *) echo "system-deps: unknown package $1" >&2; exit 2 ;;
    esac
}

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium postgresql npm make)

missing=()
for pkg in "${wanted[@]}"; do
    have "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them, e.g. on Debian/Ubuntu: sudo apt-get install ${missing[*]/redis/redis-server}" >&2
    echo "(Chromium must be at /usr/bin/chromium; PostgreSQL under /usr/lib/postgresql/.)" >&2
    exit 1
fi

# Debian's package for each (the same name where it is not listed).
declare -A package=([redis]=redis-server [nginx]=nginx-light)
packages=()
for pkg in "${missing[@]}"; do packages+=("${package[$pkg]:-$pkg}"); done

echo "Installing system packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${packages[@]}"
for pkg in "${missing[@]}"; do
    have "$pkg" || { echo "system-deps: $pkg is still missing after apt-get install" >&2; exit 1; }
done
