#!/usr/bin/env bash
# The Docker test bed: a real dockerd and a single-node swarm on this machine, for the tests that need Docker.
# Idempotent: every step checks first, so a second run takes about a second. Needs root (apt, dockerd, routes).
#
# What it leaves running: dockerd on /var/run/docker.sock, a swarm whose overlay addresses come from $POOL (and a
# blackhole route for them: the host must never send a packet to an overlay address, which would leave the machine by
# the default route), the image $IMAGE (busybox, imported from a rootfs: nothing is pulled from a registry) and the
# attachable overlay network "proxy".
set -euo pipefail

POOL=${SWARMGATE_TESTBED_POOL:-10.201.0.0/16}
IMAGE=swarmgate-testbed/busybox:1
DOCKER=/usr/bin/docker # Debian's client, whatever else is first on PATH
STATE=/var/lib/swarmgate-testbed
DOCKERD_LOG=/var/log/swarmgate-testbed-dockerd.log
started=$(date +%s%N)

log() { echo "testbed: $*"; }

install_packages() {
  local missing=()
  [ -x /usr/sbin/dockerd ] && [ -x $DOCKER ] || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v ip >/dev/null || missing+=(iproute2)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent on a fresh machine: update only when the install cannot find them.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
}

# A pid file left by a dockerd that died (or lingers as a zombie) makes the next start fail.
remove_stale_pid_files() {
  local file pid
  for file in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
      rm -f "$file"
    fi
  done
}

start_dockerd() {
  $DOCKER version >/dev/null 2>&1 && return
  log "starting dockerd (log: $DOCKERD_LOG)"
  remove_stale_pid_files
  setsid /usr/sbin/dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 150); do
    $DOCKER version >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "dockerd did not answer within 30 s; last lines of its log:"
  tail -20 "$DOCKERD_LOG" >&2
  exit 1
}

# Before the swarm exists, so that no overlay address is ever routable from the host.
blackhole() {
  ip route replace blackhole "$1"
}

init_swarm() {
  blackhole "$POOL"
  if [ "$($DOCKER info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
    log "initialising a single-node swarm, overlay pool $POOL"
    $DOCKER swarm init --advertise-addr 127.0.0.1 --default-addr-pool "$POOL" >/dev/null
  fi
  # A swarm made earlier by other means may use other pools: keep the rule for them too.
  local pool
  for pool in $($DOCKER info --format '{{range .Swarm.Cluster.DefaultAddrPool}}{{.}} {{end}}'); do
    blackhole "$pool"
  done
}

import_busybox() {
  $DOCKER image inspect "$IMAGE" >/dev/null 2>&1 && return
  log "importing $IMAGE from busybox-static"
  local root=$STATE/busybox-root
  rm -rf "$root" && mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp /bin/busybox "$root/bin/"
  chroot "$root" /bin/busybox --install -s /bin
  echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
  tar -C "$root" -cf "$STATE/busybox.tar" .
  rm -rf "$root"
  $DOCKER import -c 'CMD ["/bin/sh"]' "$STATE/busybox.tar" "$IMAGE" >/dev/null
}

create_network() {
  $DOCKER network inspect proxy >/dev/null 2>&1 && return
  log "creating the attachable overlay network proxy"
  $DOCKER network create -d overlay --attachable proxy >/dev/null
}

# Every overlay subnet, the ingress network's included, must fall under a blackhole route.
check_overlays_blackholed() {
  local subnet
  for subnet in $($DOCKER network inspect --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}' \
      $($DOCKER network ls -q --filter driver=overlay)); do
    if ! ip route show match "${subnet%/*}" | grep -q '^blackhole'; then
      blackhole "$subnet"
    fi
  done
}

mkdir -p "$STATE"
install_packages
start_dockerd
init_swarm
import_busybox
create_network
check_overlays_blackholed
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
log "ready in $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s" \
  "(engine $($DOCKER version --format '{{.Server.Version}}'), image $IMAGE, overlay pool $POOL)"
