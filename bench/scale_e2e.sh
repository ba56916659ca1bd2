#!/usr/bin/env bash
# The whole program at scale (issue 16): relaymon in a 120x40 terminal on
# its connections page against the scale rig's fake tor, which owns real
# loopback OR connections, beside nyx measured the same way when it is
# installed. For each size: steady CPU per 60 s (relaymon and its children),
# peak RSS, CPU to start and warm up, and the time from opening the page to
# a listed connection.
#
#   bench/scale_e2e.sh [SOCKETS ...]        (default: 2000 9900 20000)
#
# SOCKETS counts the sockets of the connection pairs: two per pair (the rig
# holds both ends). Up to 20,000 they are all in the fake relay's pid; past
# that (60000: issue 16's 30,000 pairs) the pid holds what fits and the
# rig's same-uid helper processes hold the rest, on the same host.
# RELAYMON (default build/relaymon), RIG
# (default ../shared/scale next to the checkout), SECONDS_STEADY (steady window,
# default 60), WARMUP (default 20). Everything stays on 127.0.0.1; the fake
# is stopped by its pid. Not part of the test suite: speed is measured, not
# asserted. Needs root (the fake drops to nobody after setup).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
relaymon=${RELAYMON:-$here/build/relaymon}
rig=${RIG:-$here/../shared/scale}
seconds=${SECONDS_STEADY:-60}
warmup=${WARMUP:-20}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 9900 20000)
[ -x "$relaymon" ] || { echo "no relaymon at $relaymon (build first)" >&2; exit 2; }
[ -f "$rig/faketor.py" ] || { echo "no scale rig at $rig (set RIG)" >&2; exit 2; }
nyx=$(command -v nyx || true)

work=$(mktemp -d)
chmod 1777 "$work"
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

field() { python3 -c "import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print('-' if v is None else v)" "$1" "$2"; }
# CPU from start to the steady window (start-up plus warm-up).
startup_cpu() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(round((j.get('cpu_self_at_ready_s') or 0) + (j.get('cpu_self_startup_to_window_s') or 0), 2))" "$1"; }

printf '%-8s %-9s %14s %13s %12s %10s\n' sockets monitor cpu_per_60s peak_rss_mb startup_cpu listed_s
port=19151
for sockets in "${sizes[@]}"; do
  pairs=$((sockets / 2))
  # A process here holds at most 20,000 descriptors: beyond that the rig's
  # same-uid helpers hold the rest of the pairs (not the relay's pid).
  overflow=()
  [ "$sockets" -le 20000 ] || overflow=(--overflow-helpers)
  dir="$work/$sockets"
  mkdir -p "$dir"
  chmod 1777 "$dir"
  python3 "$rig/faketor.py" --port "$port" --orport $((port - 50)) --exitport $((port + 29)) \
    --relays 7000 --conns "$pairs" "${overflow[@]}" --user nobody --ready-file "$dir/ready" \
    --log "$dir/ft.log" --workdir "$dir/ft" --force >"$dir/ft.out" 2>&1 &
  fake_pid=$!
  for _ in $(seq 600); do [ -s "$dir/ready" ] && break; sleep 0.5; done
  [ -s "$dir/ready" ] || { echo "the fake tor did not get ready ($dir/ft.out)" >&2; exit 1; }
  run() {  # NAME 'CMD {PORT}' [env...]
    local name=$1 cmd=$2
    shift 2
    env WARMUP="$warmup" "$@" "$rig/run_monitor.sh" "$cmd" "$port" "$seconds" "$dir/$name.json" \
      >"$dir/$name.log" 2>&1 || { echo "$name failed ($dir/$name.log)" >&2; return; }
    printf '%-8s %-9s %14s %13s %12s %10s\n' "$sockets" "$name" \
      "$(field "$dir/$name.json" cpu_tree_per_60s)" \
      "$(python3 -c "import json,sys; v=json.load(open(sys.argv[1])).get('peak_rss_kb'); print('-' if v is None else round(v/1024,1))" "$dir/$name.json")" \
      "$(startup_cpu "$dir/$name.json")" \
      "$(field "$dir/$name.json" time_switch_to_listed_s)"
  }
  run relaymon "$relaymon -c /dev/null -i 127.0.0.1:{PORT}" SWITCH_KEYS=3 PAGE_REGEX='^Connections' \
    LISTED_REGEX='ESTAB' QUIT_KEYS='q y'
  if [ -n "$nyx" ]; then run nyx "$nyx -i 127.0.0.1:{PORT}"; fi
  kill "$fake_pid" 2>/dev/null || true
  wait "$fake_pid" 2>/dev/null || true
  fake_pid=""
  port=$((port + 100))
done
echo "details (JSON, screens, CPU series) in $work"
trap - EXIT
