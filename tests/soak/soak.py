#!/usr/bin/env python3
"""Soak test (fake peers): relaymon --watch runs headless for a few minutes
against a fake control port that emits thousands of events per second
(circuits, OR connections, streams and log lines, every one with a new id
or text) and a fake `ss` that reports thousands of churning sockets for
"tor" on every poll (every poll's sockets are new, so every earlier one is
closed). relaymon's RSS is read from /proc/PID/status each second; the test
fails if it is still growing in the last third of the run, i.e. if some
history (log entries, closed connections, circuits, alerts, bandwidth
samples) is not a bounded ring.

    tests/soak/soak.py RELAYMON_BINARY [SECONDS]      (default 150)

Only 127.0.0.1 is used; the fake `ss` is found first on PATH and relaymon
is forced to use it with --resolver ss.
"""
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

BINARY = sys.argv[1]
DURATION = float(sys.argv[2]) if len(sys.argv) > 2 else 150.0
# Rates can be lowered through the environment to find which input a growth
# comes from (e.g. RELAYMON_SOAK_SOCKETS=0: events only).
EVENTS_PER_SECOND = int(os.environ.get("RELAYMON_SOAK_EVENTS", 4000))
SOCKETS_PER_POLL = int(os.environ.get("RELAYMON_SOAK_SOCKETS", 3000))
KINDS = set(filter(None, os.environ.get("RELAYMON_SOAK_KINDS", "").split(",")))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

FAKE_SS = r'''#!/usr/bin/env python3
# Fake ss -tuanpi for the soak test: SOCKETS sockets of "tor" (pid PID),
# all with fresh ports, so each poll closes every socket of the last one.
import random, sys
pid, count = PID, SOCKETS
out = ["Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process"]
for i in range(count):
    a, b, c = random.randrange(1, 255), random.randrange(1, 255), random.randrange(1, 255)
    if i % 3 == 0:   # inbound to the ORPort from a client or relay
        local, peer = "127.0.0.1:5000", "127.%d.%d.%d:%d" % (a, b, c, random.randrange(1024, 65535))
    elif i % 3 == 1:  # outbound to a relay's ORPort
        local, peer = "127.0.0.1:%d" % random.randrange(1024, 65535), "127.%d.%d.%d:%d" % (a, b, c, 9001)
    else:             # an exit connection
        local, peer = "127.0.0.1:%d" % random.randrange(1024, 65535), "127.%d.%d.%d:443" % (a, b, c)
    state = "ESTAB" if i % 7 else "SYN-SENT"
    out.append('tcp   %s 0 0 %s %s users:(("tor",pid=%d,fd=%d))' % (state, local, peer, pid, 10 + i))
    out.append("\t cubic rto:204 rtt:0.1/0.05 bytes_sent:%d bytes_received:%d" % (i * 100, i * 70))
sys.stdout.write("\n".join(out) + "\n")
'''


def reply(lines):
    return "".join(l + "\r\n" for l in lines).encode()


def data_reply(key, body_lines):
    return reply(["250+%s=" % key] + body_lines + [".", "250 OK"])


class FakeTor:
    """A scripted control port: NULL auth, answers relaymon's GETINFOs one
    key at a time, and once SETEVENTS arrives pumps events at a fixed rate."""

    def __init__(self, tor_pid):
        self.tor_pid = tor_pid
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.events_sent = 0
        self.stop = threading.Event()
        self.started = time.time()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def info(self, key):
        uptime = int(time.time() - self.started) + 100
        simple = {
            "version": "0.4.9.11",
            "status/version/current": "recommended",
            "process/pid": str(self.tor_pid),
            "process/user": "debian-tor",
            "process/descriptor-limit": "65535",
            "fingerprint": "A" * 40,
            "address": "127.0.0.1",
            "net/listeners/or": '"127.0.0.1:5000"',
            "net/listeners/dir": "",
            "net/listeners/socks": "",
            "net/listeners/control": '"127.0.0.1:%d"' % self.port,
            "net/listeners/dns": "",
            "accounting/enabled": "0",
            "accounting/hibernating": "awake",
            "config-file": "/nonexistent/relaymon-soak/torrc",
            "bw-event-cache": "",
            "uptime": str(uptime),
            "traffic/read": str(uptime * 1000000),
            "traffic/written": str(uptime * 1000000),
            "status/bootstrap-phase": 'NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"',
            "network-liveness": "up",
        }
        if key in simple:
            return reply(["250-%s=%s" % (key, simple[key]), "250 OK"])
        if key == "exit-policy/full":
            return data_reply(key, ["accept *:443", "reject *:*"])
        if key in ("circuit-status", "orconn-status", "stream-status"):
            return data_reply(key, [])
        if key == "ns/all":
            return data_reply(key, self.consensus)
        if key == "config/names":
            return data_reply(key, ["ORPort LineList", "Nickname String", "ExitPolicy LineList"])
        if key == "config-text":
            return data_reply(key, ["ORPort 5000", "Nickname soak"])
        return reply(['552 Unrecognized key "%s"' % key])

    consensus = []

    def serve(self, conn):
        lock = threading.Lock()
        pumping = False
        buffer = b""
        try:
            while not self.stop.is_set():
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
                while b"\n" in buffer:
                    raw, buffer = buffer.split(b"\n", 1)
                    line = raw.rstrip(b"\r").decode(errors="replace")
                    word = line.split(" ", 1)[0].upper()
                    if word == "PROTOCOLINFO":
                        out = reply(["250-PROTOCOLINFO 1", "250-AUTH METHODS=NULL",
                                     '250-VERSION Tor="0.4.9.11"', "250 OK"])
                    elif word == "GETINFO":
                        out = b"".join(self.info(k) for k in line.split()[1:2])
                    elif word == "GETCONF":
                        keys = line.split()[1:] or ["OK"]
                        out = reply(["250-" + k for k in keys[:-1]] + ["250 " + keys[-1]])
                    else:
                        out = reply(["250 OK"])
                    with lock:
                        conn.sendall(out)
                    if word == "SETEVENTS" and not pumping:
                        pumping = True
                        threading.Thread(target=self.pump, args=(conn, lock), daemon=True).start()
        except OSError:
            return

    def pump(self, conn, lock):
        """EVENTS_PER_SECOND events, every one new: circuits built and closed,
        OR connections opened and closed, streams, bandwidth, log lines."""
        n = 0
        tick = 0.02
        per_tick = int(EVENTS_PER_SECOND * tick)
        next_at = time.time()
        fp = lambda i: "$%040X~relay%d" % (i, i % 1000)
        while not self.stop.is_set():
            batch = []
            for _ in range(per_tick // 8):
                n += 1
                batch.append("650 CIRC %d BUILT %s,%s PURPOSE=GENERAL TIME_CREATED=2026-11-22T01:00:00.000000" % (n, fp(n), fp(n + 1)))
                batch.append("650 CIRC %d CLOSED %s REASON=FINISHED" % (n, fp(n)))
                batch.append("650 ORCONN %s CONNECTED ID=%d" % (fp(n), n))
                batch.append("650 ORCONN %s CLOSED REASON=DONE ID=%d" % (fp(n), n))
                batch.append("650 STREAM %d SUCCEEDED %d 127.0.0.1:443" % (n, n))
                batch.append("650 CIRC_BW ID=%d READ=498 WRITTEN=0 TIME=2026-11-22T01:00:00.000000" % n)
                batch.append("650 NOTICE soak notice number %d with some text to store" % n)
                batch.append("650 WARN soak warning number %d: relaymon must keep a bounded log" % n)
            if n % 50 < per_tick // 8:
                batch.append("650 BW 1048576 1048576")
            if KINDS:
                batch = [l for l in batch if l.split(" ")[1] in KINDS]
            data = reply(batch)
            try:
                with lock:
                    conn.sendall(data)
            except OSError:
                return
            self.events_sent += len(batch)
            next_at += tick
            delay = next_at - time.time()
            if delay > 0:
                time.sleep(delay)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def load_consensus():
    path = os.path.join(FIXTURES, "tor-0.4.9.11-testnet", "control", "client-labclient7",
                        "18-getinfo-ns_all.txt")
    with open(path, "rb") as f:
        lines = f.read().decode().split("\r\n")
    return [l for l in lines[1:] if l and l != "." and not l.startswith("250")]


def main():
    tmp = tempfile.mkdtemp(prefix="relaymon-soak-")
    tor = subprocess.Popen(["sleep", str(int(DURATION) + 120)])  # stands in for tor's pid
    relaymon = None
    try:
        fakebin = os.path.join(tmp, "bin")
        os.mkdir(fakebin)
        ss = os.path.join(fakebin, "ss")
        with open(ss, "w") as f:
            f.write(FAKE_SS.replace("PID", str(tor.pid)).replace("SOCKETS", str(SOCKETS_PER_POLL)))
        os.chmod(ss, 0o755)
        FakeTor.consensus = load_consensus()
        fake = FakeTor(tor.pid)
        config = os.path.join(tmp, "config")
        with open(config, "w") as f:
            f.write("poll_interval 0.5\n")
        env = dict(os.environ, PATH=fakebin + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
        out = open(os.path.join(tmp, "watch.out"), "wb")
        err = open(os.path.join(tmp, "watch.err"), "wb")
        relaymon = subprocess.Popen(
            [BINARY, "--watch", "-c", config, "-i", "127.0.0.1:%d" % fake.port, "--resolver", "ss"],
            stdout=out, stderr=err, env=env)
        samples = []  # (seconds since start, RSS KiB)
        start = time.time()
        while time.time() - start < DURATION:
            time.sleep(1)
            if relaymon.poll() is not None:
                print("FAIL: relaymon exited with %s" % relaymon.returncode)
                print(open(os.path.join(tmp, "watch.err")).read()[-2000:])
                return 1
            samples.append((time.time() - start, rss_kib(relaymon.pid)))
        fake.stop.set()
        out.flush()
        warnings = sum(1 for l in open(os.path.join(tmp, "watch.out"), errors="replace") if "soak warning" in l)

        def window(lo, hi):
            return [r for t, r in samples if lo * DURATION <= t < hi * DURATION]

        middle, last = window(0.4, 0.7), window(0.7, 1.01)
        print("events sent %d (%.0f/s), WARN lines printed %d, RSS KiB: first %d, "
              "max 40-70%% %d, max 70-100%% %d, final %d" %
              (fake.events_sent, fake.events_sent / DURATION, warnings, samples[0][1],
               max(middle), max(last), samples[-1][1]))
        print("RSS every 10 s (KiB): " + " ".join(str(r) for t, r in samples[::10]))
        failures = []
        if fake.events_sent < EVENTS_PER_SECOND * DURATION * 0.5:
            failures.append("the fake sent too few events: relaymon did not keep up")
        if warnings < 1000:
            failures.append("relaymon printed only %d of the WARN lines" % warnings)
        # Stops growing: the last third peaks no higher than the middle
        # third, give or take 5 % and 4 MiB of allocator noise. An unbounded
        # history at this rate grows by tens of MiB per minute.
        if max(last) > max(middle) * 1.05 + 4096:
            failures.append("RSS still growing: %d KiB -> %d KiB" % (max(middle), max(last)))
        for f in failures:
            print("FAIL: " + f)
        return 1 if failures else 0
    finally:
        if relaymon and relaymon.poll() is None:
            relaymon.terminate()
            try:
                relaymon.wait(10)
            except subprocess.TimeoutExpired:
                relaymon.kill()
        tor.kill()
        tor.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
