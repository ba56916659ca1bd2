"""check-loopback: every socket of the network's tors stays on 127.0.0.0/8.

Reads `ss -tanpH` and `ss -uanpH`, keeps the sockets whose users:(...) names
one of the network's tor pids, and fails (exit 1, listing them) when a local
or peer address is outside 127.0.0.0/8 and ::1 (IPv4-mapped 127.x counts as
inside; middle1, exit1 and the client use ::1 too). A listener's or unconnected
UDP socket's wildcard peer (`0.0.0.0:*`) is not an address. Finding no
socket at all fails too, so the check cannot pass vacuously.

One exception, checked rather than assumed: an exit's resolver socket
(libevent's evdns) is an unconnected UDP socket on the wildcard address
(tor does not bind it to OutboundBindAddress); it may only send to the
nameservers of the exit's ServerDNSResolvConfFile, so it passes when every
nameserver that file names is on loopback, and fails otherwise.
"""

import re
import subprocess
import sys

import tn_state


def _addr_host(addr):
    """'127.0.0.1:5000', '[::1]:80', '[::ffff:127.0.0.1]:9', '*:*' -> host."""
    host = addr.rsplit(":", 1)[0] if addr.count(":") and not addr.startswith("[") else addr
    if addr.startswith("["):
        host = addr[1:addr.index("]")]
    host = host.split("%", 1)[0]
    if host.startswith("::ffff:"):
        host = host[7:]
    return host


def _is_loopback4(host):
    parts = host.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(p.isdigit() for p in parts)


def _loopback_resolver_only(inst):
    """True when inst's torrc names a ServerDNSResolvConfFile whose every
    nameserver is 127.0.0.0/8 or ::1 (and it names at least one)."""
    try:
        with open(inst["torrc"]) as f:
            words = [ln.split() for ln in f]
        path = next(w[1] for w in words if len(w) == 2 and w[0] == "ServerDNSResolvConfFile")
        with open(path) as f:
            servers = [w[1] for w in (ln.split() for ln in f)
                       if len(w) >= 2 and w[0] == "nameserver"]
    except (OSError, StopIteration):
        return False
    hosts = [_addr_host(s) if s.count(":") == 1 or s.startswith("[") else s for s in servers]
    return bool(hosts) and all(_is_loopback4(h) or h == "::1" for h in hosts)


def check(d):
    state = tn_state.load(d)
    if not state:
        print(f"no testnet in {d}", file=sys.stderr)
        return 1
    pids = {inst["pid"]: inst["nickname"] for inst in state["instances"]
            if tn_state.matches(inst["pid"], ["tor", "-f", inst["torrc"]])}
    counts = dict.fromkeys(pids.values(), 0)
    resolver_ok = {inst["pid"] for inst in state["instances"]
                   if inst["pid"] in pids and _loopback_resolver_only(inst)}
    offenders = []
    for proto, flags in (("tcp", "-tanpH"), ("udp", "-uanpH")):
        out = subprocess.run(["ss", flags], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            owners = {int(p) for p in re.findall(r"pid=(\d+)", line)} & pids.keys()
            if not owners:
                continue
            fields = line.split()
            local, peer = fields[3], fields[4]
            for pid in owners:
                counts[pids[pid]] += 1
            state_col = fields[0]
            resolver = (proto == "udp" and state_col == "UNCONN" and peer.endswith(":*")
                        and _addr_host(local) in ("0.0.0.0", "*", "::")
                        and all(owner in resolver_ok for owner in owners))
            for role, addr in (("local", local), ("peer", peer)):
                host = _addr_host(addr)
                if resolver:
                    continue  # an exit's evdns socket, its nameservers all on loopback
                if role == "peer" and addr.endswith(":*") and state_col in ("LISTEN", "UNCONN"):
                    continue  # a listener or unconnected socket has no peer (0.0.0.0:*)
                if not _is_loopback4(host) and host != "::1":
                    offenders.append(f"{proto} {','.join(pids[p] for p in owners)}: "
                                     f"{role} {addr} ({line.strip()})")
    total = sum(counts.values())
    print(f"{len(pids)}/{len(state['instances'])} tors running; {total} sockets checked: "
          + ", ".join(f"{n} {c}" for n, c in counts.items()))
    if offenders:
        print("FAIL: sockets outside 127.0.0.0/8:")
        for o in offenders:
            print(f"  {o}")
        return 1
    if total == 0:
        print("FAIL: no sockets found for the network's tors (is it running?)")
        return 1
    print("OK: every socket of the network's tors is on 127.0.0.0/8")
    return 0
