#!/bin/sh
# How long relaymon takes from authenticating to a local tor to its first
# complete frame (issue 6: "within 300 ms"). Starts a real tor with
# DisableNetwork 1 (it never touches the network; control port on
# 127.0.0.1, cookie authentication), runs relaymon in a detached tmux
# window RUNS times with RELAYMON_DEBUG_LOG set, and reads the
# "first complete frame N ms after authenticating" line it writes.
# "Complete" means drawn from a full collection: static GETINFOs, the
# volatile ones and tor's sockets.
#
#   bench/first_frame.sh [path/to/relaymon] [runs]
#
# Prints each run and min/median/max in ms. Stops only the tor it started
# (by PID).
set -eu

RELAYMON=${1:-build/relaymon}
RUNS=${2:-7}
[ -x "$RELAYMON" ] || { echo "no relaymon at $RELAYMON (give its path)" >&2; exit 2; }
command -v tor >/dev/null || { echo "tor is not installed" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
RELAYMON=$(cd "$(dirname "$RELAYMON")" && pwd)/$(basename "$RELAYMON")

DIR=$(mktemp -d /tmp/relaymon-first-frame-XXXXXX)
TOR_PID=
SESSION=relaymon-first-frame-$$
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  if [ -n "$TOR_PID" ]; then
    kill "$TOR_PID" 2>/dev/null || true
    wait "$TOR_PID" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

mkdir -m 700 "$DIR/data"
cat > "$DIR/torrc" <<TORRC
DisableNetwork 1
SocksPort 0
ORPort 127.0.0.1:auto
Nickname firstframebench
PublishServerDescriptor 0
AssumeReachable 1
ExitRelay 0
DataDirectory $DIR/data
Log notice file $DIR/notice.log
ControlPort 127.0.0.1:auto
ControlPortWriteToFile $DIR/control-port
CookieAuthentication 1
TORRC
tor -f "$DIR/torrc" --quiet >/dev/null 2>&1 &
TOR_PID=$!

i=0
while [ ! -s "$DIR/control-port" ]; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 "$TOR_PID" 2>/dev/null; then
    echo "tor did not open its control port:" >&2
    tail -5 "$DIR/notice.log" >&2 || true
    exit 1
  fi
  sleep 0.1
done
# "PORT=127.0.0.1:41234"
PORT=$(sed -n 's/^PORT=//p' "$DIR/control-port" | head -1)
echo "tor $(tor --version | head -1 | sed 's/^Tor version //; s/\.$//') at $PORT (pid $TOR_PID), $RUNS runs"

RESULTS=
run=1
while [ $run -le "$RUNS" ]; do
  LOG="$DIR/debug-$run.log"
  tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "env RELAYMON_DEBUG_LOG='$LOG' '$RELAYMON' -i '$PORT'; sleep 30"
  i=0
  while ! grep -q "first complete frame" "$LOG" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 200 ]; then
      echo "run $run: no complete frame within 10 s" >&2
      tmux capture-pane -p -t "$SESSION" >&2 || true
      cat "$LOG" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.05
  done
  MS=$(sed -n 's/.*first complete frame \([0-9.]*\) ms.*/\1/p' "$LOG")
  FRAMES=$(grep -c " frame [0-9]" "$LOG" || true)
  echo "run $run: $MS ms (the first complete frame was frame $FRAMES)"
  [ "$run" -eq 1 ] && sed "s/^/    /" "$LOG"
  RESULTS="$RESULTS $MS"
  tmux send-keys -t "$SESSION" q y
  sleep 0.3
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  run=$((run + 1))
done

echo "$RESULTS" | tr ' ' '\n' | grep . | sort -n | awk '
  { v[NR] = $1 }
  END {
    median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "authentication to first complete frame: min %.1f ms, median %.1f ms, max %.1f ms (%d runs)\n",
           v[1], median, v[NR], NR
  }'
