#!/usr/bin/env bash
# Runs a Docker engine of its own in network namespace $1 (loopback only), with its state under $2, in the
# foreground. Its own mount namespace gets a fresh sysfs that matches the network namespace, with the cgroup
# mounts carried over (dockerd needs them; `ip netns exec` would drop them).
set -euo pipefail
ns=$1 state=$2
ip netns add "$ns" 2>/dev/null || true
ip netns exec "$ns" ip link set lo up
mkdir -p "$state/data" "$state/exec" "$state/stash"
echo "{\"deprecated-key-path\": \"$state/key.json\"}" > "$state/daemon.json"
exec nsenter --net="/run/netns/$ns" unshare --mount --uts --propagation slave bash -c '
  set -e
  state=$1
  mount --rbind /sys/fs/cgroup "$state/stash"
  umount -l /sys
  mount -t sysfs sysfs /sys
  mount --rbind "$state/stash" /sys/fs/cgroup
  rm -f "$state/docker.pid" "$state/exec/containerd/containerd.pid"
  exec /usr/sbin/dockerd --data-root "$state/data" --exec-root "$state/exec" --pidfile "$state/docker.pid" \
    --config-file "$state/daemon.json" -H "unix://$state/docker.sock" --iptables=false --ip-masq=false \
    --bridge=none
' isolated-dockerd "$state"
