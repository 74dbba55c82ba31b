#!/usr/bin/env bash
# Discovery with many labelled services: how long a starting Swarmgate takes to route them all, how fast a label change
# is routed among them, and how many requests discovery sends the Docker API meanwhile and once settled.
#
#   bench/load/many-services.sh               # as root, against the test bed's swarm (bash .ci/testbed.sh)
#   SERVICES=200 CHANGES=10 bench/load/many-services.sh
#
# Steps:
#   1. creates SERVICES services labelled com.df.notify=true, each with its own servicePath, 1 replica and a placement
#      constraint no node meets: Swarm keeps their tasks pending, so the machine runs no container for them, and
#      discovery reads the same services, labels and task lists as for running ones (a route does not wait for tasks);
#   2. starts the packaged jar (DISCOVERY=auto, default JVM flags) and times the start to the moment its
#      /config?type=json lists all of them;
#   3. counts discovery's Docker API requests (swarmgate_discovery_docker_requests_total) over the minute after all
#      were routed, then over SETTLED seconds more;
#   4. moves the servicePath label of CHANGES services one at a time (docker service update --label-add) and times each
#      from the command's start to the new path in /config?type=json;
#   5. removes the services.
# Writes bench/results/<timestamp>-many-services.md. No traffic goes to any task.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES="${SERVICES:-1000}"
CHANGES="${CHANGES:-20}"
SETTLED="${SETTLED:-60}"
CREATE_PARALLEL="${CREATE_PARALLEL:-4}"
IMAGE="${IMAGE:-swarmgate-testbed/busybox:2}"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results}"
PREFIX="sgmany"
DOCKER=/usr/bin/docker

[[ -f "$SWARMGATE_JAR" ]] || die "$SWARMGATE_JAR is missing: run mvn -B -DskipTests package first"
[[ "$($DOCKER info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" == true ]] \
  || die "no swarm manager at the Docker socket: start the test bed with: bash .ci/testbed.sh (as root)"
ensure_tools

now_ms() { date +%s%3N; }
service_names() { $DOCKER service ls --filter "name=$PREFIX-" --format '{{.Name}}'; }
remove_services() {
  local names
  names="$(service_names)"
  [[ -z "$names" ]] || xargs -n 100 $DOCKER service rm <<<"$names" >/dev/null
}
cleanup_all() { remove_services || true; cleanup; }
trap cleanup_all EXIT
trap 'exit 130' INT TERM
make_workdir
check_ports_free "$SWARMGATE_PORT" "$SWARMGATE_API_PORT"
remove_services

log "creating $SERVICES services (tasks kept pending by a constraint)"
created_at=$(now_ms)
seq 1 "$SERVICES" | xargs -P "$CREATE_PARALLEL" -I{} $DOCKER service create --detach --quiet --no-resolve-image \
  --name "$PREFIX-{}" --replicas 1 --constraint node.labels.swarmgate-never==true --label com.df.notify=true \
  --label "com.df.servicePath=/$PREFIX-{}" --label com.df.port=8080 "$IMAGE" sleep 1d >/dev/null
created_s=$(( ($(now_ms) - created_at) / 1000 ))
log "created in $created_s s"

# listed COUNT_OF: how many of our services /config?type=json lists, or those whose path is the given one.
config_json() { curl -fsS --max-time 10 "http://127.0.0.1:$SWARMGATE_API_PORT/v1/docker-flow-proxy/config?type=json"; }
listed() { config_json | jq --arg p "$PREFIX-" '[to_entries[] | select(.key | startswith($p))] | length'; }
routed_path() {
  config_json | jq -r --arg s "$1" '.[$s].ServiceDest[0].ServicePath[0] // empty'
}
docker_requests() {
  curl -fsS --max-time 10 "http://127.0.0.1:$SWARMGATE_API_PORT/metrics" \
    | awk '$1 == "swarmgate_discovery_docker_requests_total" { printf "%d", $2 }'
}

log "starting Swarmgate"
mkdir -p "$WORK/swarmgate"
start_at=$(now_ms)
PORT="$SWARMGATE_API_PORT" DEFAULT_PORTS="$SWARMGATE_PORT" DISCOVERY=auto \
  "${ON_SERVER_CPU[@]}" java -jar "$SWARMGATE_JAR" >"$WORK/swarmgate/stdout.log" 2>&1 &
SERVER_PIDS+=($!)
until [[ "$(listed 2>/dev/null || echo 0)" -ge "$SERVICES" ]]; do
  (( $(now_ms) - start_at < 600000 )) \
    || die "not all $SERVICES services routed after 600 s: $(tail -5 "$WORK/swarmgate/stdout.log")"
  sleep 0.2
done
all_routed_ms=$(( $(now_ms) - start_at ))
log "all $SERVICES routed $all_routed_ms ms after the start"

first_minute_start=$(docker_requests)
sleep 60   # a measuring window: the minute after all were routed
first_minute=$(( $(docker_requests) - first_minute_start ))
settled_start=$(docker_requests)
sleep "$SETTLED"   # a measuring window
settled=$(( $(docker_requests) - settled_start ))
log "Docker API requests: $first_minute in the first minute, $settled over $SETTLED s settled"

: >"$WORK/changes"
for i in $(seq 1 "$CHANGES"); do
  name="$PREFIX-$i" path="/$PREFIX-moved-$i"
  started=$(now_ms)
  $DOCKER service update --detach --quiet --label-add "com.df.servicePath=$path" "$name" >/dev/null
  until [[ "$(routed_path "$name")" == "$path" ]]; do
    (( $(now_ms) - started < 30000 )) || die "$name not routed on $path after 30 s"
    sleep 0.01
  done
  echo $(( $(now_ms) - started )) >>"$WORK/changes"
done
read -r change_p50 change_max < <(sort -n "$WORK/changes" \
  | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[NR] }')
log "label change to route: p50 $change_p50 ms, max $change_max ms over $CHANGES"
rss=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/${SERVER_PIDS[-1]}/status")

mkdir -p "$RESULTS_DIR"
report="$RESULTS_DIR/$(date -u +%Y%m%d-%H%M%S)-many-services.md"
cat >"$report" <<EOF
# Discovery with $SERVICES labelled services

\`bench/load/many-services.sh\` on the test bed's one-node swarm; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end.
Each service has its own servicePath and 1 replica kept pending by a constraint (no container runs); discovery reads
the same services, labels and tasks as for running ones. Swarmgate: the packaged jar, default JVM flags, DISCOVERY=auto.

| what | figure |
|---|---|
| creating the services (docker CLI, $CREATE_PARALLEL at a time) | $created_s s |
| Swarmgate's start to all $SERVICES routed (\`/config?type=json\`) | $all_routed_ms ms |
| Docker API requests in the minute after all were routed | $first_minute ($(awk -v n="$first_minute" 'BEGIN { printf "%.2f", n / 60 }')/s) |
| Docker API requests once settled, over $SETTLED s | $settled ($(awk -v n="$settled" -v s="$SETTLED" 'BEGIN { printf "%.2f", n / s }')/s) |
| label change (\`docker service update --label-add\`) to the new path routed, $CHANGES changes | p50 $change_p50 ms, max $change_max ms |
| Swarmgate's RSS at the end | $rss MiB |
EOF
log "wrote $report"
