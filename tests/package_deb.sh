#!/usr/bin/env bash
# Release check: `cmake --install` puts the program, the man page, the
# sample config, the JSON Schemas, the Prometheus rules, the Grafana
# dashboard and the systemd unit in the usual places, and `cpack -G DEB` builds a .deb whose
# Depends are Debian runtime packages (computed by dpkg-shlibdeps) and whose
# file list is exactly what an operator expects.
#   tests/package_deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: tests/package_deb.sh BUILD_DIR}" && pwd)
work=$(mktemp -d /tmp/relaymon-package-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in bin/relaymon share/man/man1/relaymon.1 share/doc/relaymon/relaymon.conf.example \
  share/doc/relaymon/SECURITY.md share/doc/relaymon/README.md; do
  [ -f "$work/prefix/$f" ] || fail "cmake --install did not create $f"
done
for f in share/relaymon/schema/relaymon-snapshot.schema.json \
  share/relaymon/schema/relaymon-watch.schema.json \
  share/relaymon/schema/relaymon-watch-event-circ.schema.json \
  share/relaymon/prometheus/relaymon-alerts.yml share/relaymon/grafana/relaymon-fleet.json \
  lib/systemd/system/relaymon-metrics.service; do
  [ -f "$work/prefix/$f" ] || fail "cmake --install did not create $f"
done
# The unit runs the relaymon of this prefix.
grep -qx "ExecStart=$work/prefix/bin/relaymon --metrics 127.0.0.1:9099" \
  "$work/prefix/lib/systemd/system/relaymon-metrics.service" ||
  fail "the installed unit's ExecStart does not name $work/prefix/bin/relaymon"
[ "$(ls "$work/prefix/share/relaymon/schema" | wc -l)" -ge 20 ] || fail "schemas missing"
[ -x "$work/prefix/bin/relaymon" ] || fail "bin/relaymon is not executable"
"$work/prefix/bin/relaymon" --version | grep -q relaymon || fail "installed relaymon --version"

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >cpack.log 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$work"/out/relaymon_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { cat "$work/cpack.log"; fail "no relaymon_*.deb produced"; }
echo "built $(basename "$deb")"

info=$(dpkg-deb -I "$deb")
echo "$info" | grep -E '^ (Package|Version|Architecture|Depends|Recommends):'
[ "$(dpkg-deb -f "$deb" Package)" = relaymon ] || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || fail "empty Depends: dpkg-shlibdeps did not run"
# The libraries relaymon links, by their Debian runtime package names.
names=$(echo "$depends" | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//')
for lib in libc6 libstdc++6 libncursesw6 libtinfo6 libmaxminddb0 libssl3 libfmt9; do
  grep -qxF "$lib" <<<"$names" || fail "Depends lacks $lib: $depends"
done
# Only runtime packages: no -dev package, nothing from the build.
echo "$depends" | grep -q -- '-dev' && fail "Depends names a -dev package: $depends"

files=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/bin/relaymon ./usr/share/man/man1/relaymon.1 \
  ./usr/share/doc/relaymon/relaymon.conf.example ./usr/share/doc/relaymon/SECURITY.md \
  ./usr/share/relaymon/schema/relaymon-snapshot.schema.json \
  ./usr/share/relaymon/schema/relaymon-watch.schema.json \
  ./usr/share/relaymon/prometheus/relaymon-alerts.yml \
  ./usr/share/relaymon/grafana/relaymon-fleet.json \
  ./usr/lib/systemd/system/relaymon-metrics.service; do
  grep -qx "$f" <<<"$files" || fail "the .deb lacks $f"
done
# The packaged unit runs /usr/bin/relaymon, not the build's prefix. The
# unit is read whole before grep: `grep -q` stops at its match, and under
# pipefail the SIGPIPE that tar then gets would fail the check at random.
unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/relaymon-metrics.service)
grep -qx 'ExecStart=/usr/bin/relaymon --metrics 127.0.0.1:9099' <<<"$unit" ||
  fail "the .deb's unit does not run /usr/bin/relaymon: $(echo "$unit" | grep '^ExecStart')"
# Nothing outside /usr, no build or test artefacts.
echo "$files" | grep -v -e '^\./$' -e '^\./usr/' && fail "files outside /usr"
echo "$files" | grep -E 'test_|fuzz_|\.a$|\.h$' && fail "build artefacts in the .deb"
echo "ok: $(echo "$files" | grep -vc '/$') files, Depends: $depends"
