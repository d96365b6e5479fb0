#!/usr/bin/env bash
# Builds the bundled example tree (examples/) on a Docker engine: the one in
# DOCKER_HOST or the default socket when it answers, otherwise a private
# dockerd that this script starts (and leaves running for reruns; stop it
# with `tests/harness/services.sh stop build/example-services`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

answers() {  # $1: unix socket path
  [ -S "$1" ] && [ "$(curl -s --max-time 5 --unix-socket "$1" \
      http://engine/_ping 2>/dev/null)" = "OK" ]
}

host=""
if [ -n "${DOCKER_HOST:-}" ]; then
  case "$DOCKER_HOST" in
    unix://*) answers "${DOCKER_HOST#unix://}" && host=$DOCKER_HOST ;;
    *) host=$DOCKER_HOST ;;
  esac
fi
if [ -z "$host" ] && answers /var/run/docker.sock; then
  host=unix:///var/run/docker.sock
fi
private="$build/example-services"
if [ -z "$host" ] && [ -f "$private/env" ]; then
  h=$(sed -n 's/^DOCKER_HOST=//p' "$private/env")
  answers "${h#unix://}" && host=$h &&
    echo "run-example: using the private dockerd started earlier" >&2
fi
if [ -z "$host" ]; then
  echo "run-example: no engine answers; starting a private dockerd" >&2
  "$root/tests/harness/services.sh" start "$private"
  host=$(sed -n 's/^DOCKER_HOST=//p' "$private/env")
fi
export DOCKER_HOST=$host

# The example's base image, made from busybox-static: nothing is pulled. An
# image that cannot run a shell (left by an older version of this script)
# is made again.
if ! docker run --rm --network none kb-example/busybox:latest /bin/sh -c true \
    >/dev/null 2>&1; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    # The list names busybox itself: linking it would replace the binary.
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  echo "root:x:0:0:root:/root:/bin/sh" >"$rootfs/etc/passwd"
  echo "root:x:0:" >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | docker import \
    -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - kb-example/busybox:latest
fi

exec "$build/kolla-build" \
  --config-file "$root/examples/kolla-build.conf" \
  --images-dir "$root/examples/docker" \
  --template-override "$root/examples/override.j2" \
  --logs-dir "$build/example-logs" \
  "$@"
