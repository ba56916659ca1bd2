"""A minimal, blocking tor control-port client (Python 3 stdlib only).

Used by scripts/testnet (bootstrap waits, status) and scripts/capture-fixtures
(byte-exact captures), so every reply keeps its raw bytes next to its parsed
lines. Asynchronous events (6xx) that arrive while waiting for a reply are
kept in `events` with their raw bytes too.
"""

import socket
import time


class ControlError(Exception):
    pass


class Reply:
    """One complete reply: status code, parsed lines, and the exact bytes."""

    def __init__(self, code, lines, raw):
        self.code = code
        self.lines = lines  # list of (code, sep, text); data blocks joined into text
        self.raw = raw

    @property
    def ok(self):
        return self.code == 250

    def values(self):
        """KEY=VALUE pairs of a GETINFO reply (data blocks included)."""
        out = {}
        for _code, _sep, text in self.lines:
            if "=" in text:
                key, value = text.split("=", 1)
                out[key] = value
        return out


class Control:
    """endpoint: ("tcp", "127.0.0.1", port) or ("unix", path)."""

    def __init__(self, endpoint, timeout=5.0):
        if endpoint[0] == "unix":
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address = endpoint[1]
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            address = (endpoint[1], int(endpoint[2]))
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(address)
        except OSError as err:
            self.sock.close()
            raise ControlError(f"cannot connect to {endpoint}: {err}") from err
        self.buffer = b""
        self.sent = b""  # every byte sent, for transcripts
        self.received = b""  # every byte received, for transcripts
        self.events = []  # list of Reply with code 6xx

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read_line(self, deadline):
        while b"\r\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout("control reply timed out")
            self.sock.settimeout(remaining)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ControlError("control connection closed by tor")
            self.received += chunk
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line + b"\r\n"

    def read_reply(self, timeout=10.0):
        """Reads one whole reply (which may be an asynchronous event)."""
        deadline = time.monotonic() + timeout
        raw = b""
        lines = []
        while True:
            line = self._read_line(deadline)
            raw += line
            text = line[:-2].decode("utf-8", "replace")
            if len(text) < 4 or not text[:3].isdigit():
                raise ControlError(f"malformed reply line: {text!r}")
            code, sep, rest = int(text[:3]), text[3], text[4:]
            if sep == "+":
                data = []
                while True:
                    dline = self._read_line(deadline)
                    raw += dline
                    if dline == b".\r\n":
                        break
                    data.append(dline[:-2].decode("utf-8", "replace"))
                rest = rest + "\n" + "\n".join(data)
            lines.append((code, sep, rest))
            if sep == " ":
                return Reply(code, lines, raw)

    def send(self, command):
        data = command.encode() + b"\r\n"
        self.sent += data
        self.sock.sendall(data)

    def command(self, command, timeout=10.0):
        """Sends one command; returns its reply, keeping events aside."""
        self.send(command)
        while True:
            reply = self.read_reply(timeout)
            if 600 <= reply.code < 700:
                self.events.append(reply)
                continue
            return reply

    def protocolinfo(self):
        reply = self.command("PROTOCOLINFO 1")
        methods, cookie = [], None
        for _code, _sep, text in reply.lines:
            if text.startswith("AUTH "):
                for part in _split_quoted(text[5:]):
                    if part.startswith("METHODS="):
                        methods = part[8:].split(",")
                    elif part.startswith("COOKIEFILE="):
                        cookie = _unquote(part[11:])
        return methods, cookie

    def authenticate(self, password=None):
        """COOKIE (file named by PROTOCOLINFO), HASHEDPASSWORD or NULL."""
        methods, cookie_file = self.protocolinfo()
        if "NULL" in methods:
            reply = self.command("AUTHENTICATE")
        elif password is not None and "HASHEDPASSWORD" in methods:
            quoted = password.replace("\\", "\\\\").replace('"', '\\"')
            reply = self.command(f'AUTHENTICATE "{quoted}"')
        elif "COOKIE" in methods and cookie_file:
            with open(cookie_file, "rb") as f:
                reply = self.command("AUTHENTICATE " + f.read().hex())
        else:
            raise ControlError(f"no usable auth method in {methods}")
        if not reply.ok:
            raise ControlError(f"authentication failed: {reply.lines}")

    def getinfo(self, key, timeout=10.0):
        reply = self.command(f"GETINFO {key}", timeout)
        if not reply.ok:
            raise ControlError(f"GETINFO {key}: {reply.lines[0]}")
        return reply.values().get(key, "")


def _split_quoted(text):
    parts, current, quoted, escaped = [], "", False, False
    for ch in text:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\" and quoted:
            current += ch
            escaped = True
        elif ch == '"':
            current += ch
            quoted = not quoted
        elif ch == " " and not quoted:
            if current:
                parts.append(current)
            current = ""
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


def _unquote(value):
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1]
        out, escaped = "", False
        for ch in value:
            if escaped:
                out += ch
                escaped = False
            elif ch == "\\":
                escaped = True
            else:
                out += ch
        return out
    return value


def open_instance(inst, timeout=5.0):
    """An authenticated connection to a testnet instance (state-file dict)."""
    ctl = Control(("tcp", "127.0.0.1", inst["ports"]["control"]), timeout)
    try:
        ctl.authenticate(inst.get("password"))
    except Exception:
        ctl.close()
        raise
    return ctl
