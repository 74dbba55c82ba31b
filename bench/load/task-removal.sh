#!/usr/bin/env bash
# How fast a task leaves rotation once Swarm stops it, and how many Docker API requests discovery sends meanwhile:
# against the test bed's swarm (bash .ci/testbed.sh, as root), UPDATES rolling updates (`service update --force`) of a
# 3-replica service, one task at a time, then KILLS `docker kill`s of one of its containers, after SETTLED seconds of
# a settled swarm. Times come from the task directory's change callback, Swarm's decision from the task's UpdatedAt
# (io.swarmgate.discovery.testing.TaskRemovals). No traffic goes to the tasks.
# Writes bench/results/<time>-task-removal.md (figures) and .csv (every removal). Takes ~8 min with the defaults.
set -euo pipefail

LOAD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$(dirname "$LOAD_DIR")")"
UPDATES="${UPDATES:-9}"   # 3 removals each
KILLS="${KILLS:-25}"
SETTLED="${SETTLED:-60}"  # seconds; discovery lists every service every 15 s

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[[ "$(/usr/bin/docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" == true ]] \
  || { log "error: no swarm manager at the Docker socket: start the test bed with: bash .ci/testbed.sh (as root)"; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$REPO_DIR"
log "compiling discovery and its tests"
mvn -B -q -pl discovery -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test
REPORT="bench/results/$(date -u +%Y%m%d-%H%M%S)-task-removal"
log "measuring: $UPDATES updates, $KILLS kills, $SETTLED s settled"
java -cp "discovery/target/test-classes:discovery/target/classes:proxy-core/target/classes:$(cat "$WORK/classpath")" \
  io.swarmgate.discovery.testing.TaskRemovalFigures "$UPDATES" "$KILLS" "$SETTLED" "$REPORT"
log "wrote $REPORT.md and $REPORT.csv"
