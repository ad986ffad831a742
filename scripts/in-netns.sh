#!/usr/bin/env bash
# Runs a command inside a new, private network namespace that can do IPv4 and IPv6 multicast but
# reaches nothing outside this machine: lo (up, multicast) plus a veth pair veth0<->veth1 that only
# talk to each other. IPv4 multicast is routed via lo, IPv6 multicast via veth0 (Linux lo cannot do
# IPv6 multicast). Everything the command sends stays in the namespace and dies with it.
#
#   scripts/in-netns.sh dotnet run --project samples/ReceiveAll
#
# Tests, samples, benchmarks and manual runs that open multicast sockets go through this script.
set -euo pipefail

if [[ "${CANUDP_NETNS:-}" == "1" ]]; then
  exec "$@"   # already inside one of our namespaces
fi

if [[ "${1:-}" != "--setup-and-run" ]]; then
  if [[ "$(id -u)" == "0" ]]; then
    exec unshare --net -- "$0" --setup-and-run "$@"
  else
    exec unshare --map-root-user --net -- "$0" --setup-and-run "$@"
  fi
fi
shift

ip link set lo up
ip link set lo multicast on
ip link add veth0 type veth peer name veth1
for dev in veth0 veth1; do
  # Without this, IPv6 sends fail for the first seconds while duplicate address detection runs.
  sysctl -qw "net.ipv6.conf.${dev}.accept_dad=0" 2>/dev/null || echo 0 > "/proc/sys/net/ipv6/conf/${dev}/accept_dad"
  ip link set "$dev" up
done
ip route add 224.0.0.0/4 dev lo
# metric 1: veth0 wins over the kernel-made ff00::/8 routes, so "the OS choice" is veth0 as well.
ip -6 route add table local multicast ff00::/8 dev veth0 metric 1

export CANUDP_NETNS=1
export CANUDP_TEST_IPV6_INTERFACE=veth0
exec "$@"
