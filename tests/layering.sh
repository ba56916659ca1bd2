#!/usr/bin/env bash
# Fails when a file includes something its layer must not know about
# (ARCHITECTURE.md, after the project's design: one file includes curses; sources never touch curses; panels
# and ui know nothing of asio or the control client).
set -u
root=${1:-.}
cd "$root" || exit 2
status=0
bad() { echo "layering: $*"; status=1; }

while IFS= read -r f; do
  [ "$f" = "ui/curses_canvas.cpp" ] || bad "$f includes curses (only ui/curses_canvas.cpp may)"
done < <(grep -rlE '#include *[<"](n?curses(w)?(/curses)?\.h|ncursesw/.*)[>"]' src ui panels 2>/dev/null)

while IFS= read -r f; do
  bad "$f includes asio or the control client (ui/ and panels/ draw snapshots only)"
done < <(grep -rlE '#include *[<"](boost/asio|boost/beast|control/client|system/runner)' ui panels 2>/dev/null)

for layer in control system geo; do
  while IFS= read -r f; do
    bad "$f: src/$layer must not include higher layers"
  done < <(grep -rlE '#include *"(model|analysis|session|export|tui|app|ui|panels)/' "src/$layer" 2>/dev/null)
done
while IFS= read -r f; do
  bad "$f: src/model must not include analysis, session, export, tui, app, ui or panels"
done < <(grep -rlE '#include *"(analysis|session|export|tui|app|ui|panels)/' src/model 2>/dev/null)
while IFS= read -r f; do
  bad "$f: src/analysis reads the model only (no app, session, tui, ui, panels, export, system or control)"
done < <(grep -rlE '#include *"(app|session|tui|ui|panels|export|system|control)/' src/analysis 2>/dev/null)
while IFS= read -r f; do
  bad "$f: src/session (the relay session) must not include app, tui, ui, panels or export"
done < <(grep -rlE '#include *"(app|tui|ui|panels|export)/' src/session 2>/dev/null)
while IFS= read -r f; do
  bad "$f: panels draw snapshots: no session, control client, tui, export or app"
done < <(grep -rlE '#include *"(session|control|tui|export|app)/' panels ui 2>/dev/null)
while IFS= read -r f; do
  bad "$f: src/tui must not include app or export (presenters are separate)"
done < <(grep -rlE '#include *"(app|export)/' src/tui 2>/dev/null)

while IFS= read -r f; do
  bad "$f: src/export (headless presenters) must not include app, tui, session, ui or panels"
done < <(grep -rlE '#include *"(app|tui|session|ui|panels)/' src/export 2>/dev/null)
while IFS= read -r f; do
  bad "$f: src/text is the bottom layer and includes no other"
done < <(grep -rlE '#include *"(control|system|geo|model|analysis|export|app|ui|panels)/' src/text 2>/dev/null)

[ $status -eq 0 ] && echo "layering: ok"
exit $status
