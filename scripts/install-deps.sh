#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and the example need.
# Idempotent; needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libcurl4-openssl-dev nlohmann-json3-dev libarchive-dev libpcre2-dev
  libyaml-cpp-dev libssl-dev libutf8proc-dev libfmt-dev libgit2-dev libgmp-dev
  unicode-data libhtml-html5-entities-perl
  googletest libgtest-dev libbenchmark-dev
  docker.io docker-registry busybox-static podman
  python3 python3-jinja2 python3-yaml
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
fi
