#!/usr/bin/env bash
# Builds the seed corpus of every fuzz target from the real captures in
# tests/fixtures (and the sample config), one directory per target:
#   fuzz/seeds.sh OUT_DIR
# Seeds are whole fixture files (byte-exact, CRLF kept); the events target
# also gets each distinct event type as a one-event seed, and the value
# parsers get the data blocks alone (without "250+key=" and ".").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: fuzz/seeds.sh OUT_DIR}
fixtures=$root/tests/fixtures
rm -rf "$out"
mkdir -p "$out"

n=0
seed() {  # seed TARGET FILE...: copy each file into TARGET's corpus
  local target=$1
  shift
  mkdir -p "$out/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$out/$target/$(basename "$f" .txt)-$n"
  done
}
# The data block of a GETINFO reply file ("250+key=" ... "."), CRLF kept.
data_block() {
  awk '/^250\+/{on=1; next} on && /^\.\r?$/{on=0} on' "$1"
}
control_files() { find "$fixtures" -path '*/control/*' -type f -name "$1" | sort; }

mapfile -t replies < <(control_files '[0-9]*.txt')
seed framing "${replies[@]}"
seed getinfo "${replies[@]}"
seed auth $(control_files '*protocolinfo*') $(control_files '*authchallenge*') \
  $(control_files '*auth*.txt')
seed events $(control_files 'events-raw.txt') $(control_files '*setevents*')
# One seed per distinct event type (first occurrence), so each parser is
# reached without the fuzzer having to find it in a 60 s capture.
mkdir -p "$out/events"
for f in $(control_files 'events-raw.txt'); do
  awk -v dir="$out/events" -v base="$(basename "$(dirname "$f")")" '
    /^650[ -]/ { split(substr($0, 5), w, " "); t = w[1]
                 if (!(t in seen)) { seen[t] = 1; printf "%s\n", $0 > (dir "/" base "-" t) } }' "$f"
done
# The event lines see what the event parser sees, plus the libraries' samples.
mkdir -p "$out/event_json"
cp "$out"/events/* "$out/event_json/"
seed event_json "$fixtures/control-events/library-samples.txt"

mkdir -p "$out/consensus" "$out/exit_policy" "$out/tor_inputs" "$out/quoting"
for f in $(control_files '*ns_all*'); do
  n=$((n + 1)); data_block "$f" >"$out/consensus/ns_all-$n"
done
for f in $(control_files '*exit*policy*'); do
  n=$((n + 1)); data_block "$f" >"$out/exit_policy/policy-$n"
done
printf '127.0.0.1\naccept 127.0.0.1:*\nreject *:*\n' >"$out/exit_policy/local"
printf 'reject *:25,reject *:119,reject private:*,accept *:80-443,accept6 [::]/0:*,reject *:*' \
  >"$out/exit_policy/default"
for f in $(control_files '*orconn*') $(control_files '*listeners*'); do
  n=$((n + 1)); data_block "$f" >"$out/tor_inputs/value-$n"
  grep -ao '"[^"]*"' "$f" | tr '\n' ' ' >"$out/tor_inputs/listeners-$n" || true
done
printf 'nameserver 127.0.0.1\nnameserver ::1\nsearch lan\n' >"$out/tor_inputs/resolv"
for f in $(control_files '*setevents*') $(control_files '*protocolinfo*'); do
  n=$((n + 1)); grep -ao '"[^"]*"' "$f" | head -1 >"$out/quoting/q-$n" || true
done
printf 'ID=1 TYPE=OR "quoted \\" \\n \\101" KEY="a b"' >"$out/quoting/args"
mkdir -p "$out/check_range"
for r in 10 10: '~:10' 10:20 @10:20 :5 -5:-1 1.5:2.5 descriptors_pct=80 uptime=@0:600 conns=0; do
  n=$((n + 1)); printf '%s' "$r" >"$out/check_range/range-$n"
done

# MetricsPort bodies; health: fresh descriptors (data blocks), heartbeat
# logs, accounting replies and recorded STATUS_* events.
health=$fixtures/tor-0.4.9.11-health
seed prometheus $(find "$health" -name 'metrics*.txt' ! -name '*headers*' | sort)
printf '# HELP x A \\\\ b\\n\n# TYPE x counter\nx{a="\\"q\\"",b="c"} +Inf 17\nx NaN\n' \
  >"$out/prometheus/escapes"
mkdir -p "$out/health"
for f in $(find "$health" -name 'getinfo-fresh-relay-descs*.txt' | sort); do
  n=$((n + 1)); data_block "$f" >"$out/health/desc-$n"
done
seed health $(find "$health" \( -name '*.log' -o -name 'getinfo-accounting*.txt' \
  -o -name 'events*.txt' \) -type f | sort)

os=$(find "$fixtures" -path '*/os/*' -type f | sort)
seed ss $(grep -l . $(echo "$os" | grep '/ss-'))
seed netstat $(echo "$os" | grep netstat)
seed lsof $(echo "$os" | grep lsof)
seed proc $(echo "$os" | grep -e proc-net -e proc-fd)
printf '1234 (tor) S 1 1234 1234 0 -1 4194560 1 0 0 0 10 20 0 0 20 0 3 0 100 1000 200\n' \
  >"$out/proc/stat-tor"
printf '5000 200 100 1 0 300 0\n' >"$out/proc/statm"
printf 'cpu  1 2 3 4\nbtime 1700000000\n' >"$out/proc/stat"

# sock_diag: the recorded dumps, behind the mode byte the target reads first
# (0: tcp, 1: udp; +2: with an inode filter).
mkdir -p "$out/sock_diag"
for mode in 0 2; do
  n=$((n + 1)); { printf "\\x0$mode"; cat "$fixtures/sock-diag/tcp.bin"; } >"$out/sock_diag/tcp-$n"
  n=$((n + 1)); { printf "\\x0$((mode + 1))"; cat "$fixtures/sock-diag/udp.bin"; } >"$out/sock_diag/udp-$n"
done

seed config "$root/share/relaymon.conf.example"
printf 'control_port 127.0.0.1:9051\ncontrol_port 9052\npoll_interval 2.5\n' >"$out/config/basic"
printf 'alert.orport_unreachable.severity warning\n# comment\nresolver ss\n' >"$out/config/alerts"

mkdir -p "$out/torrc"
printf 'ORPort 9001\nNickname relay\n# a comment\nExitPolicy reject *:*\nControlPort 9051\nBogusOption 1\nORPort 9001 NoListen\n' \
  >"$out/torrc/basic"
echo "seed corpora in $out:"
for d in "$out"/*/; do printf '  %-12s %s files\n' "$(basename "$d")" "$(ls "$d" | wc -l)"; done
