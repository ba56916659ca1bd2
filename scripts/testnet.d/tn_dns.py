"""A tiny DNS responder on 127.0.0.1 for the testnet's exit3 (--health).

usage: tn_dns.py PORT MODE_FILE

Answers UDP queries on 127.0.0.1:PORT. The mode is read from MODE_FILE
before every query (and twice a second), so a test switches it by writing
the file:
  normal    A queries for names under .testnet and the example.{com,org,net}
            test addresses -> 127.0.0.1; "fail.*" -> SERVFAIL; "slow.*" ->
            no answer (a timeout for tor); everything else NXDOMAIN; other
            query types: an empty answer (NODATA).
  wildcard  every A query -> 127.0.0.9 (what a hijacking resolver does).
  silent    no answers at all.
  down      the socket is closed, so the kernel refuses queries (ICMP port
            unreachable: tor's resolver sees "connection refused").
Never sends anything anywhere but back to the (loopback) asker.
"""

import socket
import struct
import sys
import time

KNOWN_SUFFIXES = (".testnet", "www.example.com", "www.example.org", "www.example.net")


def read_mode(path):
    try:
        with open(path) as f:
            return f.read().strip() or "normal"
    except OSError:
        return "normal"


def parse_question(packet):
    """(id, flags, qname lower-case, qtype, end of question) or None."""
    if len(packet) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", packet[:6])
    if qd != 1:
        return None
    pos, labels = 12, []
    while pos < len(packet):
        n = packet[pos]
        pos += 1
        if n == 0:
            break
        if n & 0xC0 or pos + n > len(packet):
            return None
        labels.append(packet[pos:pos + n].decode("ascii", "replace"))
        pos += n
    if pos + 4 > len(packet):
        return None
    qtype = struct.unpack("!H", packet[pos:pos + 2])[0]
    return qid, flags, ".".join(labels).lower(), qtype, pos + 4


def reply(packet, q, rcode, address=None):
    qid, flags, _name, _qtype, end = q
    rd = flags & 0x0100
    answer = b""
    if address:
        answer = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(address))
    header = struct.pack("!HHHHHH", qid, 0x8000 | 0x0400 | rd | 0x0080 | rcode, 1,
                         1 if address else 0, 0, 0)
    return header + packet[12:end] + answer


def answer(mode, packet):
    q = parse_question(packet)
    if not q:
        return None
    name, qtype = q[2], q[3]
    if mode == "wildcard":
        return reply(packet, q, 0, "127.0.0.9" if qtype == 1 else None)
    if name.startswith("slow."):
        return None
    if name.startswith("fail."):
        return reply(packet, q, 2)
    if any(name.endswith(s) for s in KNOWN_SUFFIXES):
        return reply(packet, q, 0, "127.0.0.1" if qtype == 1 else None)
    return reply(packet, q, 3)


def serve(port, mode_file):
    sock = None
    while True:
        mode = read_mode(mode_file)
        if mode == "down":
            if sock:
                sock.close()
                sock = None
            time.sleep(0.5)
            continue
        if sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.settimeout(0.5)
        try:
            packet, peer = sock.recvfrom(4096)
        except socket.timeout:
            continue
        mode = read_mode(mode_file)
        if mode in ("silent", "down"):
            continue
        out = answer(mode, packet)
        q = parse_question(packet)
        # The log (DIR/dns.log) shows what tor asked: only made-up names.
        print(f"{time.strftime('%H:%M:%S')} {mode} {q[2] if q else '?'} type "
              f"{q[3] if q else '?'} -> {'answered' if out else 'no answer'}", flush=True)
        if out:
            sock.sendto(out, peer)


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2])
