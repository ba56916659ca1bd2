"""The testnet state file (DIR/state.json) and the processes it records.

Every process the scripts start is recorded here with its pid and the
command-line fragments that identify it, so `stop` can check
/proc/PID/cmdline before signalling (a recycled pid is never killed).
Writers take DIR/.lock (flock) and replace the file atomically.
"""

import contextlib
import fcntl
import json
import os
import signal
import time

STATE = "state.json"
MARKER = ".relaymon-testnet"


def state_path(d):
    return os.path.join(d, STATE)


def load(d):
    try:
        with open(state_path(d)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def locked(d):
    fd = os.open(os.path.join(d, ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def save(d, state):
    tmp = state_path(d) + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, state_path(d))


def update(d, fn):
    """Read-modify-write of the state under the lock; fn mutates the dict."""
    with locked(d):
        state = load(d) or {}
        fn(state)
        save(d, state)
        return state


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def is_zombie(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def matches(pid, expect):
    """True when pid is alive and its argv contains every string in expect."""
    if not pid:
        return False
    argv = cmdline(pid)
    if not argv or is_zombie(pid):
        return False
    return all(any(e == a or a.endswith("/" + e) for a in argv) for e in expect)


def processes(state):
    """Every recorded process: (label, pid, expected argv fragments)."""
    out = []
    for inst in state.get("instances", []):
        out.append((inst["nickname"], inst.get("pid"), ["tor", "-f", inst["torrc"]]))
    for key in ("traffic", "http", "dns"):
        proc = state.get(key)
        if proc:
            out.append((key, proc.get("pid"), proc.get("expect", [])))
    return out


def running(state):
    return [(label, pid) for label, pid, expect in processes(state) if matches(pid, expect)]


def reap(pid):
    """Collects our own child if it is one; harmless otherwise."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def terminate(procs, grace=10.0, log=print):
    """SIGTERM each verified pid, SIGKILL what is left after `grace` s."""
    alive = []
    for label, pid, expect in procs:
        if matches(pid, expect):
            try:
                os.kill(pid, signal.SIGTERM)
                alive.append((label, pid, expect))
                log(f"stopping {label} (pid {pid})")
            except ProcessLookupError:
                pass
        elif pid and cmdline(pid) is not None and not is_zombie(pid):
            log(f"pid {pid} ({label}) now belongs to another program; left alone")
    deadline = time.monotonic() + grace
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        for _label, pid, _expect in alive:
            reap(pid)
        alive = [p for p in alive if matches(p[1], p[2])]
    for label, pid, expect in alive:
        if matches(pid, expect):
            log(f"{label} (pid {pid}) ignored SIGTERM; sending SIGKILL")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 5.0
    while alive and time.monotonic() < deadline:
        for _label, pid, _expect in alive:
            reap(pid)
        alive = [p for p in alive if matches(p[1], p[2])]
        if alive:
            time.sleep(0.1)
    return [label for label, _pid, _expect in alive]
