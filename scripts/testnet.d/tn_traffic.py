"""Exit traffic for the testnet: a web server on 127.0.0.1 and a curl loop.

Each round moves one file through every exit at once, downloads and uploads
in turn (GET, then PUT of the same size to tn_httpd.py), so traffic flows
both ways. The client maps `exitN.testnet` to `127.0.0.1.<FP of exitN>.exit`
(MapAddress in its torrc), so each exit carries its own share
deterministically instead of every stream going to whichever relay tor's
exit-enclave logic picks for 127.0.0.1. Streams are rate-limited
(TESTNET_RATE, curl syntax, default 1M) so a long-running demo does not eat
the machine.
"""

import os
import signal
import socket
import subprocess
import sys
import time

import tn_build
import tn_state

FILES = [("1MB.bin", 1), ("2MB.bin", 2), ("4MB.bin", 4)]


def _wait_listening(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def ensure_http(d):
    """Starts the HTTP server unless one recorded in the state still runs
    (under the state lock, so two `traffic` runs never start two)."""
    with tn_state.locked(d):
        state = tn_state.load(d)
        http = state.get("http")
        if http and tn_state.matches(http["pid"], http["expect"]):
            return http
        root = os.path.join(d, "www")
        os.makedirs(root, exist_ok=True)
        for name, mb in FILES:
            path = os.path.join(root, name)
            if not os.path.exists(path) or os.path.getsize(path) != mb << 20:
                with open(path, "wb") as f:
                    f.write(os.urandom(mb << 20))  # incompressible
        # The port planned at `start` (the client's onion service points at
        # it), else a free one.
        port = next((i["http_port"] for i in state["instances"] if i.get("http_port")), None)
        if port is None:
            taken = {p for i in state["instances"] for p in i["ports"].values()}
            port = tn_build.free_ports(1, taken)[0]
        log = open(os.path.join(d, "http.log"), "ab")
        httpd = os.path.join(os.path.dirname(os.path.realpath(__file__)), "tn_httpd.py")
        try:
            proc = subprocess.Popen(
                [sys.executable, httpd, str(port), root],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, cwd=root)
        finally:
            log.close()
        http = {"pid": proc.pid, "port": port, "root": root,
                "expect": ["tn_httpd.py", str(port)]}
        state["http"] = http
        tn_state.save(d, state)
    if not _wait_listening(port):
        raise RuntimeError(f"HTTP server on 127.0.0.1:{port} did not start; see {d}/http.log")
    return http


def start_background(d, seconds, script):
    state = tn_state.load(d)
    loop = state.get("traffic")
    if loop and tn_state.matches(loop["pid"], loop["expect"]):
        print(f"traffic already running (pid {loop['pid']}); `stop` ends it")
        return 0
    ensure_http(d)
    log = open(os.path.join(d, "traffic.log"), "ab")
    try:
        proc = subprocess.Popen([sys.executable, script, "_traffic-loop", d, str(seconds)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    finally:
        log.close()
    loop = {"pid": proc.pid, "seconds": seconds, "expect": ["_traffic-loop", d]}
    tn_state.update(d, lambda s: s.__setitem__("traffic", loop))
    print(f"traffic for {seconds} s in the background (pid {proc.pid}, log {d}/traffic.log)")
    return 0


def run_loop(d, seconds, out=sys.stdout):
    """Fetches through every exit until `seconds` have passed or SIGTERM."""
    state = tn_state.load(d)
    http = ensure_http(d)
    client = next(i for i in state["instances"] if i["role"] == "client")
    exits = [i["nickname"] for i in state["instances"] if i["role"] == "exit"]
    socks = f"127.0.0.1:{client['ports']['socks']}"
    rate = os.environ.get("TESTNET_RATE", "1M")
    current = []
    stopping = []

    def on_term(_sig, _frame):
        stopping.append(True)
        for proc in current:
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    totals = {e: [0, 0, 0] for e in exits}  # ok, failed, bytes
    end = time.monotonic() + seconds
    n = 0
    while not stopping and time.monotonic() < end:
        name = FILES[n % len(FILES)][0]
        upload = (n // len(FILES)) % 2 == 1  # a cycle of downloads, then of uploads
        n += 1
        left = max(1, int(end - time.monotonic()) + 1)
        current.clear()
        for e in exits:
            url = f"http://{e}.testnet:{http['port']}/{name}"
            transfer = (["--upload-file", os.path.join(http["root"], name), "-w",
                         "%{http_code} %{size_upload}"] if upload else
                        ["-w", "%{http_code} %{size_download}"])
            current.append(subprocess.Popen(
                ["curl", "-s", "-o", "/dev/null", "--socks5-hostname", socks,
                 "--max-time", str(left), "--limit-rate", rate] + transfer + [url],
                stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True))
        for e, proc in zip(exits, current):
            text, _ = proc.communicate()
            fields = (text or "0 0").split()
            code, size = fields[0], int(float(fields[1])) if len(fields) > 1 else 0
            ok = proc.returncode == 0 and code in ("200", "201")
            totals[e][0 if ok else 1] += 1
            totals[e][2] += size
            print(f"{time.strftime('%H:%M:%S')} {e} {'PUT' if upload else 'GET'} {name} "
                  f"http={code} curl={proc.returncode} bytes={size}", file=out, flush=True)
        if any(p.returncode not in (0, 28) for p in current) and not stopping:
            time.sleep(1)  # e.g. circuits not ready yet: do not spin
    for e, (ok, failed, size) in totals.items():
        print(f"{e}: {ok} fetches complete, {failed} failed or cut, {size} bytes", file=out)
    if sum(t[2] for t in totals.values()) == 0:
        print("no bytes came through the network", file=out)
        return 1
    return 0
