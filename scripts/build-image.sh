#!/usr/bin/env bash
# Builds Swarmgate's image from the repository's Dockerfile with no registry: its base is the jlink'ed Java 17 image
# that .ci/testbed.sh imports from this machine's JDK, instead of eclipse-temurin from Docker Hub.
#   scripts/build-image.sh [TAG] [docker build options...]      (TAG: swarmgate:local)
# The end-to-end tests build their image with it. Packages the jar first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG=${1:-swarmgate:local}
[ $# -gt 0 ] && shift
JRE_IMAGE=swarmgate-testbed/jre17:3
DOCKER=/usr/bin/docker # Debian's client, whatever else is first on PATH

if ! $DOCKER image inspect "$JRE_IMAGE" >/dev/null 2>&1; then
  bash .ci/testbed.sh jre # as root
fi
if [ ! -f config-api/target/swarmgate.jar ]; then
  mvn -B -q -DskipTests package
fi
$DOCKER build -q --build-arg JRE_IMAGE="$JRE_IMAGE" "$@" -t "$TAG" . >/dev/null
echo "$TAG"
