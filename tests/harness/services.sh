#!/bin/bash
# Starts and stops the real services the e2e tests need, all private to DIR:
#   - Debian's dockerd on its own socket, data root and exec root;
#   - Debian's docker-registry on 127.0.0.1:<free port>;
#   - the base image kb-test/busybox:latest, imported from busybox-static;
#   - when podman is installed (and KB_TEST_PODMAN is not 0), a private
#     `podman system service` with the same base image, which trusts the
#     registry over plain HTTP.
#
#   services.sh start DIR   idempotent; writes DIR/env (KEY=VALUE lines)
#   services.sh stop DIR    stops everything, unmounts, removes DIR
#
# DIR/env holds:
#   DOCKER_HOST=unix://<socket>
#   KB_TEST_REGISTRY=127.0.0.1:<port>
#   KB_TEST_BASE_IMAGE=kb-test/busybox:latest
#   KB_TEST_PODMAN_HOST=unix://<socket>     (only when podman runs)
#
# Nothing is pulled from the internet and nothing listens beyond loopback.
# A DOCKER_HOST already set in the caller's environment is ignored on
# purpose: the tests always get a private engine.
set -euo pipefail

readonly kBaseImage="kb-test/busybox:latest"
readonly kMarker=".kb-test-services"
# Bounded waits, in seconds; tunable for slow machines.
readonly kDockerdWait="${KB_TEST_DOCKERD_WAIT:-90}"
readonly kRegistryWait="${KB_TEST_REGISTRY_WAIT:-30}"
readonly kStopWait="${KB_TEST_STOP_WAIT:-30}"
readonly kStorageDriver="${KB_TEST_STORAGE_DRIVER:-overlay2}"

die() {
  echo "services.sh: error: $*" >&2
  exit 1
}

log() {
  echo "services.sh: $*" >&2
}

usage() {
  echo "usage: services.sh start|stop DIR" >&2
  exit 2
}

# Prints the absolute form of $1 without requiring it to exist.
absolute() {
  realpath -m -- "$1"
}

# The sockets and dockerd's exec root (which holds containerd's sockets) must
# fit in sun_path (108 bytes with the NUL), and podman refuses a runroot over
# 50 characters. When DIR is long they live in a short folder under /tmp
# instead, recorded in DIR/rundir.
run_dir() {
  local dir="$1"
  if [[ -f "$dir/rundir" ]]; then
    cat "$dir/rundir"
    return
  fi
  local rundir="$dir/run"
  # "$rundir/podman-run" is the longest path that is limited.
  if (( ${#rundir} > 39 )); then
    rundir="$(mktemp -d /tmp/kb-XXXXXX)"
  fi
  mkdir -p "$rundir"
  echo "$rundir" >"$dir/rundir"
  echo "$rundir"
}

# True when pid file $1 names a live process whose executable is $2.
pid_alive() {
  local pidfile="$1" exe="$2" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == *"/$exe" ]]
}

# The error lines of a daemon log, else its last lines.
log_errors() {
  local errors
  errors="$(grep -E 'level=(error|fatal)|^failed|Error' "$1" | tail -n 8)"
  if [[ -n "$errors" ]]; then
    echo "$errors"
  else
    tail -n 8 "$1"
  fi
}

# Engine API request over the private socket; prints the body.
engine() {
  local sock="$1" path="$2"
  shift 2
  curl -sS --max-time 30 --unix-socket "$sock" "$@" "http://engine$path"
}

engine_ready() {
  local sock="$1"
  [[ -S "$sock" ]] || return 1
  [[ "$(curl -s --max-time 5 --unix-socket "$sock" \
        http://engine/_ping 2>/dev/null)" == "OK" ]]
}

start_dockerd() {
  local dir="$1" rundir="$2"
  local sock="$rundir/docker.sock"
  if pid_alive "$dir/dockerd.pid" dockerd && engine_ready "$sock"; then
    log "dockerd already running (pid $(cat "$dir/dockerd.pid"))"
    return
  fi
  if [[ -e "$dir/dockerd.pid" ]] && ! pid_alive "$dir/dockerd.pid" dockerd
  then
    # A daemon that was killed: dockerd refuses to start over its pid file
    # (or containerd's) while the dead pid lingers as a zombie, and its shims
    # and containers may still run.
    log "cleaning up after a dead dockerd"
    kill_leftovers "$rundir/exec"
    kill_container_processes "$dir/data/containers"
    rm -f "$dir/dockerd.pid" "$rundir/exec/containerd/containerd.pid"
  fi
  if pid_alive "$dir/dockerd.pid" dockerd; then
    # Alive but not answering: a start still in progress, or a hung daemon.
    wait_for_engine "$dir" "$sock" "$(cat "$dir/dockerd.pid")" && return
    die "dockerd (pid $(cat "$dir/dockerd.pid")) does not answer on '$sock'"
  fi

  local ns
  ns="kb-$(echo -n "$dir" | md5sum | cut -c1-10)"
  mkdir -p "$dir/data" "$rundir/exec"
  rm -f "$sock"
  log "starting dockerd on '$sock' (data root '$dir/data')"
  # --bridge=none and no iptables: the tests need no network, and the host's
  # firewall and bridges stay untouched. The daemon gets its own containerd
  # (under the exec root), so it shares nothing with another engine.
  setsid dockerd \
    --data-root "$dir/data" \
    --exec-root "$rundir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --host "unix://$sock" \
    --storage-driver "$kStorageDriver" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --userland-proxy=false \
    --containerd-namespace "$ns" --containerd-plugins-namespace "$ns-p" \
    --shutdown-timeout 5 \
    </dev/null >>"$dir/dockerd.log" 2>&1 9>&- &
  # setsid does not fork here (a background job is no group leader), so $!
  # is dockerd itself.
  wait_for_engine "$dir" "$sock" "$!" ||
    die "dockerd did not come up on '$sock' (waited up to" \
        "${kDockerdWait}s); errors in '$dir/dockerd.log':" \
        $'\n'"$(log_errors "$dir/dockerd.log")"

  local driver
  driver="$(engine "$sock" /info | sed -n 's/.*"Driver":"\([^"]*\)".*/\1/p')"
  [[ "$driver" == "$kStorageDriver" ]] ||
    die "dockerd uses storage driver '$driver', expected '$kStorageDriver'"
}

wait_for_engine() {
  local dir="$1" sock="$2" pid="$3" i
  for (( i = 0; i < kDockerdWait * 4; i++ )); do
    engine_ready "$sock" && return 0
    # Give up early when the daemon died (bad flag, driver failure ...).
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

registry_ready() {
  local port="$1"
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        "http://127.0.0.1:$port/v2/" 2>/dev/null)" == "200" ]]
}

start_registry() {
  local dir="$1"
  if pid_alive "$dir/registry.pid" docker-registry &&
     [[ -s "$dir/registry.port" ]] &&
     registry_ready "$(cat "$dir/registry.port")"; then
    log "registry already running on 127.0.0.1:$(cat "$dir/registry.port")"
    return
  fi
  if pid_alive "$dir/registry.pid" docker-registry; then
    kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
  fi
  rm -f "$dir/registry.port" "$dir/registry.pid"

  mkdir -p "$dir/registry"
  # Port 0: the kernel picks a free port and the registry logs it, so there is
  # no race between choosing a port and binding it.
  cat >"$dir/registry.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
  secret: kb-test-services
EOF
  : >"$dir/registry.log"
  setsid docker-registry serve "$dir/registry.yml" \
    </dev/null >>"$dir/registry.log" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$dir/registry.pid"

  local i port=""
  for (( i = 0; i < kRegistryWait * 4; i++ )); do
    port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' \
              "$dir/registry.log" | head -n 1)"
    if [[ -n "$port" ]] && registry_ready "$port"; then
      echo "$port" >"$dir/registry.port"
      log "registry listening on 127.0.0.1:$port"
      return
    fi
    # kill -0, not pid_alive: just after the fork it may still be setsid.
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  die "docker-registry did not start; errors in '$dir/registry.log':" \
      $'\n'"$(log_errors "$dir/registry.log")"
}

# A minimal root file system: busybox-static with its applets as symlinks,
# the folders and files a shell and RUN steps expect.
make_rootfs() {
  local root="$1"
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,dev,proc,sys,var/tmp}
  mkdir -m 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s
  [[ -L "$root/bin/sh" ]] || die "busybox --install did not create /bin/sh"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
    >>"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  echo 'nogroup:x:65534:' >>"$root/etc/group"
  echo '127.0.0.1 localhost' >"$root/etc/hosts"
}

import_base_image() {
  local dir="$1" sock="$2"
  local name="${3:-engine}"
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
            --unix-socket "$sock" "http://engine/images/$kBaseImage/json")"
  if [[ "$code" == "200" ]]; then
    log "base image '$kBaseImage' already present in $name"
    return
  fi

  log "importing '$kBaseImage' from /bin/busybox into $name"
  make_rootfs "$dir/rootfs"
  tar -C "$dir/rootfs" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime=@0 -cf "$dir/rootfs.tar" .
  # The API behind `docker import -` (no docker CLI needed).
  local out query="fromSrc=-&repo=${kBaseImage%:*}&tag=${kBaseImage##*:}"
  out="$(curl -sS --max-time 120 --unix-socket "$sock" \
           -X POST -H 'Content-Type: application/x-tar' \
           --data-binary @"$dir/rootfs.tar" \
           "http://engine/images/create?$query")"
  rm -rf "$dir/rootfs" "$dir/rootfs.tar"
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
            --unix-socket "$sock" "http://engine/images/$kBaseImage/json")"
  [[ "$code" == "200" ]] || die "import of '$kBaseImage' failed: $out"
}

want_podman() {
  [[ "${KB_TEST_PODMAN:-1}" != "0" ]] && command -v podman >/dev/null
}

# `podman system service` with private storage; its registries.conf marks
# the harness registry insecure (docker does that for loopback by itself).
start_podman() {
  local dir="$1" rundir="$2"
  local sock="$rundir/podman.sock"
  if pid_alive "$dir/podman.pid" podman && engine_ready "$sock"; then
    log "podman service already running (pid $(cat "$dir/podman.pid"))"
    return
  fi
  if pid_alive "$dir/podman.pid" podman; then
    kill "$(cat "$dir/podman.pid")" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$dir/podman.pid" "$sock"

  mkdir -p "$dir/podman/storage" "$dir/podman/tmp" "$rundir/podman-run"
  cat >"$dir/podman/registries.conf" <<EOF
unqualified-search-registries = []
short-name-mode = "permissive"

[[registry]]
location = "127.0.0.1:$(cat "$dir/registry.port")"
insecure = true
EOF
  log "starting podman service on '$sock'"
  CONTAINERS_REGISTRIES_CONF="$dir/podman/registries.conf" \
  TMPDIR="$dir/podman/tmp" \
  setsid podman \
    --root "$dir/podman/storage" \
    --runroot "$rundir/podman-run" \
    --storage-driver overlay \
    --cgroup-manager cgroupfs \
    --events-backend file \
    system service --time=0 "unix://$sock" \
    </dev/null >>"$dir/podman.log" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$dir/podman.pid"

  local i
  for (( i = 0; i < kDockerdWait * 4; i++ )); do
    engine_ready "$sock" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  die "podman service did not come up on '$sock'; errors in" \
      "'$dir/podman.log':" $'\n'"$(log_errors "$dir/podman.log")"
}

write_env() {
  local dir="$1" sock="$2" podman_sock="${3:-}"
  local tmp="$dir/env.tmp.$$"
  {
    echo "DOCKER_HOST=unix://$sock"
    echo "KB_TEST_REGISTRY=127.0.0.1:$(cat "$dir/registry.port")"
    echo "KB_TEST_BASE_IMAGE=$kBaseImage"
    if [[ -n "$podman_sock" ]]; then
      echo "KB_TEST_PODMAN_HOST=unix://$podman_sock"
    fi
  } >"$tmp"
  mv -f "$tmp" "$dir/env"
}

cmd_start() {
  local dir
  dir="$(absolute "$1")"
  for tool in dockerd docker-registry curl busybox chroot tar; do
    command -v "$tool" >/dev/null || die "'$tool' not found"
  done
  if [[ -e "$dir" && ! -e "$dir/$kMarker" ]] && \
     [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
    die "'$dir' exists and was not made by services.sh; refusing to use it"
  fi
  mkdir -p "$dir"
  touch "$dir/$kMarker"

  # One start at a time per DIR (parallel ctest runs, reruns).
  exec 9>"$dir/.lock"
  flock -w "$(( kDockerdWait + kRegistryWait + 180 ))" 9 ||
    die "another start holds '$dir/.lock'"

  local rundir
  rundir="$(run_dir "$dir")"
  start_dockerd "$dir" "$rundir"
  start_registry "$dir"
  import_base_image "$dir" "$rundir/docker.sock" dockerd
  local podman_sock=""
  if want_podman; then
    start_podman "$dir" "$rundir"
    podman_sock="$rundir/podman.sock"
    import_base_image "$dir" "$podman_sock" podman
  fi
  write_env "$dir" "$rundir/docker.sock" "$podman_sock"
  log "ready; environment in '$dir/env'"
  cat "$dir/env"
}

# Kills every running container of the private engine, so its shutdown does
# not wait for processes that ignore SIGTERM (a shell as pid 1).
kill_containers() {
  local sock="$1" id
  engine_ready "$sock" || return 0
  for id in $(engine "$sock" /containers/json 2>/dev/null |
              grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
    engine "$sock" "/containers/$id/kill" -X POST >/dev/null 2>&1 || true
  done
}

# Sends SIGTERM to the process in pid file $1 (if it is $2), waits, then
# SIGKILL.
stop_pid() {
  local pidfile="$1" exe="$2" pid i
  pid_alive "$pidfile" "$exe" || return 0
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < kStopWait * 4; i++ )); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  log "'$exe' (pid $pid) ignored SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

# Processes whose command line names $1 (our containerd and its shims after
# an unclean dockerd exit); they are ours because the path is private.
kill_leftovers() {
  local path="$1" pid cmd
  for pid in $(pgrep -f -- "$path" || true); do
    [[ "$pid" == "$$" ]] && continue
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    case "$cmd" in
      *containerd*|*dockerd*|*docker-registry*|*podman*|*conmon*)
        log "killing leftover pid $pid: $cmd"
        kill -KILL "$pid" 2>/dev/null || true ;;
    esac
  done
}

# Processes still inside the cgroup of one of our containers (when dockerd
# and the shims died without stopping them). Container ids are unique, so the
# cgroup path names only our processes.
kill_container_processes() {
  local containers="$1" id pid
  [[ -d "$containers" ]] || return 0
  for id in $(ls "$containers"); do
    [[ "$id" =~ ^[0-9a-f]{64}$ ]] || continue
    for pid in $(grep -l -- "/$id\$" /proc/[0-9]*/cgroup 2>/dev/null |
                 cut -d/ -f3); do
      log "killing leftover container process $pid (container ${id:0:12})"
      kill -KILL "$pid" 2>/dev/null || true
    done
  done
}

unmount_under() {
  local path="$1" mnt
  # Deepest first; /proc/mounts escapes spaces as \040.
  awk '{print $2}' /proc/mounts | sed 's/\\040/ /g' |
    awk -v p="$path" 'index($0, p "/") == 1 || $0 == p' |
    sort -r | while IFS= read -r mnt; do
      umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null ||
        log "cannot unmount '$mnt'"
    done
}

cmd_stop() {
  local dir
  dir="$(absolute "$1")"
  [[ -e "$dir" ]] || return 0
  [[ -e "$dir/$kMarker" ]] ||
    die "'$dir' was not made by services.sh; refusing to remove it"

  local rundir=""
  [[ -f "$dir/rundir" ]] && rundir="$(cat "$dir/rundir")"

  stop_pid "$dir/podman.pid" podman
  stop_pid "$dir/registry.pid" docker-registry
  if [[ -n "$rundir" ]]; then
    kill_containers "$rundir/docker.sock"
  fi
  # dockerd stops its containers (--shutdown-timeout) and its containerd.
  stop_pid "$dir/dockerd.pid" dockerd
  if [[ -n "$rundir" ]]; then
    kill_leftovers "$rundir/exec"
    kill_leftovers "$rundir/podman-run"
  fi
  kill_leftovers "$dir/"
  kill_container_processes "$dir/data/containers"

  unmount_under "$dir"
  [[ -n "$rundir" ]] && unmount_under "$rundir"

  rm -rf -- "$dir"
  if [[ -n "$rundir" && "$rundir" != "$dir/"* && "$rundir" == /tmp/kb-* ]]
  then
    rm -rf -- "$rundir"
  fi
  log "stopped; removed '$dir'"
}

main() {
  (( $# == 2 )) || usage
  [[ -n "$2" && "$(absolute "$2")" != "/" ]] || die "bad DIR '$2'"
  case "$1" in
    start) cmd_start "$2" ;;
    stop) cmd_stop "$2" ;;
    *) usage ;;
  esac
}

main "$@"
