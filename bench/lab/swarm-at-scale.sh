#!/usr/bin/env bash
# Swarmgate on the three-node lab (cluster-bootstrap's `lab up`: 3 engines in network namespaces on the bridge sgl0,
# 192.168.79.0/24), set up as SwarmLabIT does it: UPDATES rolling updates (`service update --force`) of go-demo
# (3 replicas, one per node) under a steady load of CLIENTS clients through Swarmgate's 3 replicas, counting failed
# requests, the slowest and Swarmgate's retries; then CHANGES label changes of a service, each timed until every
# replica routes it, with the replicas' config/version compared; then CUTS times a node cut off the lab bridge for
# CUT_SECONDS (`lab partition`) while a route changes, timed from the link's return (`lab heal`) until the swarm has a
# leader, the node's replica has the others' config/version and routes the change; then (KILL_NODE=true) node 3
# killed under load.
# As root; it brings the lab up and takes it down (KEEP_LAB=true leaves it up). Traffic goes only to the lab nodes'
# addresses (192.168.79.1N), never to an overlay address. Bounded: every load loop stops at the end of its phase, at
# the latest after (UPDATES + 1) x 2 min. Writes bench/results/<time>-swarm-at-scale.md. With the defaults it takes
# about 60 min on a shared 2-core machine (about 30 s an update; a cut adds CUT_SECONDS and up to a minute).
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$(dirname "$LAB_DIR")")"
UPDATES="${UPDATES:-100}"
CHANGES="${CHANGES:-100}"
CLIENTS="${CLIENTS:-12}"
KILL_NODE="${KILL_NODE:-true}"
CUTS="${CUTS:-3}"
CUT_SECONDS="${CUT_SECONDS:-20}"
KEEP_LAB="${KEEP_LAB:-false}"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[[ $(id -u) == 0 ]] || { log "error: the lab needs root (network namespaces, engines)"; exit 1; }
cd "$REPO_DIR"
[[ -f config-api/target/swarmgate.jar ]] \
  || { log "error: no config-api/target/swarmgate.jar: mvn -B -DskipTests package"; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
log "compiling cluster-bootstrap and its tests"
mvn -B -q -pl cluster-bootstrap -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test
REPORT="bench/results/$(date -u +%Y%m%d-%H%M%S)-swarm-at-scale"
log "measuring: $UPDATES updates, $CHANGES label changes, $CLIENTS clients, $CUTS cuts of $CUT_SECONDS s," \
  "kill a node: $KILL_NODE"
java -DkeepLab="$KEEP_LAB" \
  -cp "cluster-bootstrap/target/test-classes:cluster-bootstrap/target/classes:$(cat "$WORK/classpath")" \
  io.swarmgate.bootstrap.scale.LabScaleFigures config-api/target/swarmgate.jar "$UPDATES" "$CHANGES" "$CLIENTS" \
  "$KILL_NODE" "$CUTS" "$CUT_SECONDS" "$REPORT"
log "wrote $REPORT.md"
