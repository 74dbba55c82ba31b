#!/usr/bin/env bash
# The Docker test bed: a real dockerd and a single-node swarm on this machine, for the tests that need Docker.
# Idempotent: every step checks first, so a second run takes about a second. Needs root (apt, dockerd, routes).
#
# What it leaves running: dockerd on /var/run/docker.sock and on $API_TCP (loopback only, for WireMock, which cannot
# speak over a unix socket), a swarm whose overlay addresses come from $POOL (and a blackhole route for them: the host
# must never send a packet to an overlay address, which would leave the machine by the default route), the images
# $IMAGE and $IMAGE_2 (busybox; two tags so that a service update changes its image) and $JRE_IMAGE (a jlink'ed Java
# 17), all imported from a rootfs (nothing is pulled from a registry), and the attachable overlay network "proxy".
set -euo pipefail

POOL=${SWARMGATE_TESTBED_POOL:-10.201.0.0/16}
IMAGE=swarmgate-testbed/busybox:1
IMAGE_2=swarmgate-testbed/busybox:2
JRE_IMAGE=swarmgate-testbed/jre17:3
API_TCP=127.0.0.1:2375
JLINK=/usr/lib/jvm/java-17-openjdk-amd64/bin/jlink # the image's Java is 17, whichever JDK is the default
DOCKER=/usr/bin/docker # Debian's client, whatever else is first on PATH
STATE=/var/lib/swarmgate-testbed
DOCKERD_LOG=/var/log/swarmgate-testbed-dockerd.log
started=$(date +%s%N)

log() { echo "testbed: $*"; }

install_packages() {
  local missing=()
  [ -x /usr/sbin/dockerd ] && [ -x $DOCKER ] || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  [ -x /usr/bin/docker-registry ] || missing+=(docker-registry) # the image of cluster-bootstrap's registry service
  command -v ip >/dev/null || missing+=(iproute2)
  [ -x $JLINK ] || missing+=(openjdk-17-jdk-headless)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent on a fresh machine: update only when the install cannot find them.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
}

# Alive and not a zombie (this machine's init reaps orphans late).
running() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# A pid file left by a dockerd that died (or lingers as a zombie) makes the next start fail.
remove_stale_pid_files() {
  local file
  for file in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    [ -f "$file" ] || continue
    running "$(cat "$file")" || rm -f "$file"
  done
}

# An engine started without the loopback TCP address (by an older test bed, or by hand) is restarted with it.
stop_dockerd_without_tcp() {
  $DOCKER version >/dev/null 2>&1 || return 0
  $DOCKER -H "tcp://$API_TCP" version >/dev/null 2>&1 && return
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -z "$pid" ]; then
    log "an engine answers on /var/run/docker.sock but not on $API_TCP, and it has no pid file: restart it with" \
      "-H unix:///var/run/docker.sock -H tcp://$API_TCP" >&2
    exit 1
  fi
  log "restarting dockerd (pid $pid) to add tcp://$API_TCP"
  kill -TERM "$pid"
  for _ in $(seq 1 150); do
    running "$pid" || return 0
    sleep 0.2
  done
  log "dockerd (pid $pid) did not stop within 30 s" >&2
  exit 1
}

start_dockerd() {
  stop_dockerd_without_tcp
  $DOCKER version >/dev/null 2>&1 && return
  log "starting dockerd (log: $DOCKERD_LOG)"
  remove_stale_pid_files
  # Plain TCP is bound to loopback alone: only this machine's processes reach it.
  setsid /usr/sbin/dockerd -H unix:///var/run/docker.sock -H "tcp://$API_TCP" --tls=false \
    >>"$DOCKERD_LOG" 2>&1 </dev/null &
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

# A root file system with busybox's applets as /bin, the base of both images.
busybox_root() {
  local root=$1
  rm -rf "$root" && mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp" # any user's: Netty unpacks its native libraries there
  cp /bin/busybox "$root/bin/"
  chroot "$root" /bin/busybox --install -s /bin
  echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
}

# Two tags from one rootfs, imported one by one: each is an image of its own, as a new release would be.
import_busybox() {
  local image
  for image in "$IMAGE" "$IMAGE_2"; do
    $DOCKER image inspect "$image" >/dev/null 2>&1 && continue
    if [ ! -f "$STATE/busybox.tar" ]; then
      busybox_root "$STATE/busybox-root"
      tar -C "$STATE/busybox-root" -cf "$STATE/busybox.tar" .
      rm -rf "$STATE/busybox-root"
    fi
    log "importing $image from busybox-static"
    $DOCKER import -c 'CMD ["/bin/sh"]' "$STATE/busybox.tar" "$image" >/dev/null
  done
}

# Java 17 for Swarmgate's image: a jlink'ed runtime, the host libraries it and Netty's native libraries (epoll,
# tcnative: librt, libpthread, libdl) link against, and busybox for a shell and the health check's wget. The modules
# are what `jdeps --print-module-deps` finds in swarmgate.jar, plus the providers it loads at run time (elliptic
# curves for TLS, JMX) and java.net.http, acme4j's HTTP client (tag 3: tag 2 lacked it, and ACME failed with a
# NoClassDefFoundError). A new module set needs a new tag: an existing image is kept.
import_jre() {
  $DOCKER image inspect "$JRE_IMAGE" >/dev/null 2>&1 && return
  log "building $JRE_IMAGE with jlink"
  local root=$STATE/jre-root lib
  busybox_root "$root"
  $JLINK --add-modules java.base,java.compiler,java.desktop,java.management,java.naming,java.net.http,\
java.security.jgss,java.sql,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/jre"
  for lib in $({ ldd "$root/opt/jre/bin/java"; find "$root/opt/jre" -name '*.so' -exec ldd {} \; ; } 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u) /lib64/ld-linux-x86-64.so.2 \
    /lib/x86_64-linux-gnu/librt.so.1 /lib/x86_64-linux-gnu/libpthread.so.0 /lib/x86_64-linux-gnu/libdl.so.2; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  tar -C "$root" -cf "$STATE/jre17.tar" .
  rm -rf "$root"
  $DOCKER import -c 'ENV JAVA_HOME=/opt/jre' -c 'ENV PATH=/opt/jre/bin:/bin' -c 'CMD ["java", "-version"]' \
    "$STATE/jre17.tar" "$JRE_IMAGE" >/dev/null
  rm -f "$STATE/jre17.tar"
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
# `testbed.sh jre`: the Java image alone, for scripts/build-image.sh.
if [ "${1:-}" = jre ]; then
  import_jre
  exit 0
fi
init_swarm
import_busybox
import_jre
create_network
check_overlays_blackholed
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
log "ready in $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s" \
  "(engine $($DOCKER version --format '{{.Server.Version}}') on unix:///var/run/docker.sock and tcp://$API_TCP," \
  "images $IMAGE $IMAGE_2 $JRE_IMAGE, overlay pool $POOL)"
