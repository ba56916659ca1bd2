"""`scripts/testnet dos DIR NICK`: trips NICK's DoS connection defense.

Needs a --health network (reach1 has DoSConnectionMaxConcurrentCount 1).
tor counts a connection for the defense only once a client's link handshake
completes from an address that is not a relay's (127.0.0.1 is every
relay's), so this makes two client link handshakes (TLS, VERSIONS, NETINFO)
from 127.0.0.2 to NICK's ORPort on 127.0.0.1, holds them, then opens 150
plain TCP connections from 127.0.0.2 that tor closes at accept. Everything
stays on loopback. Prints one line per step and what tor did.
"""

import socket
import ssl
import struct
import time

SOURCE = "127.0.0.2"
PLAIN = 150  # over dos-counters-rising's default min_increase (100 an hour)


def _cell(circ_id_len, command, payload):
    if command == 7 or command >= 128:  # variable-length: VERSIONS, CERTS, ...
        return (struct.pack("!H" if circ_id_len == 2 else "!I", 0) + bytes([command])
                + struct.pack("!H", len(payload)) + payload)
    return (struct.pack("!I", 0) + bytes([command]) + payload).ljust(4 + 1 + 509, b"\0")


def _read_until(tls, until_command, timeout=10.0):
    """Reads link-protocol-4+ cells until one with `until_command`."""
    buf, seen, first = b"", [], True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tls.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = tls.recv(65536)
        if not chunk:
            raise ConnectionError("tor closed the connection")
        buf += chunk
        while True:
            idlen = 2 if first else 4  # VERSIONS uses 2-byte circuit ids
            if len(buf) < idlen + 1:
                break
            cmd = buf[idlen]
            if cmd == 7 or cmd >= 128:
                if len(buf) < idlen + 3:
                    break
                size = idlen + 3 + struct.unpack("!H", buf[idlen + 1:idlen + 3])[0]
            else:
                size = idlen + 1 + 509
            if len(buf) < size:
                break
            buf, first = buf[size:], False
            seen.append(cmd)
            if cmd == until_command:
                return seen
    raise TimeoutError(f"no cell {until_command} (saw {seen})")


def _client_link(port):
    raw = socket.socket()
    raw.bind((SOURCE, 0))
    raw.connect(("127.0.0.1", port))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    tls = context.wrap_socket(raw)
    tls.sendall(_cell(2, 7, struct.pack("!HHH", 3, 4, 5)))
    seen = _read_until(tls, 8)  # tor's NETINFO
    other = socket.inet_aton("127.0.0.1")
    tls.sendall(_cell(4, 8, struct.pack("!I", 0) + bytes([4, 4]) + other + bytes([0])))
    return tls, seen


def run(state, nick):
    inst = next((i for i in state["instances"] if i["nickname"] == nick), None)
    if not inst:
        print(f"no instance {nick}")
        return 1
    port = inst["ports"]["or"]
    held, plain = [], []
    for i in range(2):
        try:
            tls, seen = _client_link(port)
            held.append(tls)
            print(f"client link {i + 1}: open (cells from tor: {seen})")
        except (OSError, ConnectionError, TimeoutError) as err:
            print(f"client link {i + 1}: {type(err).__name__}: {err}")
        time.sleep(0.3)
    refused = 0
    for _ in range(PLAIN):
        s = socket.socket()
        s.bind((SOURCE, 0))
        s.settimeout(3)
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(b"\x00\x00\x07\x00\x06\x00\x03\x00\x04\x00\x05")
            if s.recv(1) == b"":
                refused += 1
        except (ConnectionResetError, BrokenPipeError):
            refused += 1
        except OSError:
            pass
        plain.append(s)
    print(f"plain TCP connections from {SOURCE}: {PLAIN}, closed by tor at once: {refused}")
    time.sleep(1)
    for s in plain + held:
        s.close()
    return 0
