"""Builds a testnet directory: free ports, keys, bandwidth file, torrcs.

Layout of DIR (everything tor writes stays in here):
  state.json          every instance, its ports, auth, pid, fingerprint
  resolv.conf         "nameserver 127.0.0.1": the only resolver relays know
  bandwidths          V3BandwidthsFile: every relay the same weight
  <nick>/torrc        one data directory per tor; notice.log inside it
"""

import os
import random
import re
import socket
import subprocess
import concurrent.futures
import time

import tn_health

TOR = os.environ.get("TESTNET_TOR", "tor")
GENCERT = os.environ.get("TESTNET_TOR_GENCERT", "tor-gencert")
PASSWORD = "testnet-password"

# The truth scenarios of issue 11 shape the network (all on loopback):
#  - middle1 and exit1 also have an IPv6 ORPort on [::1] (the client prefers
#    IPv6 to its guards, relays extend over IPv6 between them);
#  - exit2 is seed 001's exit: its ORPort bound to 127.0.0.4, its OR
#    connections leaving from 127.0.0.5 and its exit connections from
#    127.0.0.6 (OutboundBindAddressOR / OutboundBindAddressExit), which tor
#    ignores for loopback destinations (connection_connect): only the
#    ORPort binding shows on this network;
#  - client1 hosts an onion service (HiddenServicePort 80 -> the network's
#    web server).
IPV6_RELAYS = ("middle1", "exit1")
BOUND_EXIT = {"exit2": {"or": "127.0.0.4", "or_out": "127.0.0.5", "exit_out": "127.0.0.6"}}

# (nickname, role, auth, unix control socket?)
LAYOUT = [
    ("auth1", "authority", "cookie", False),
    ("auth2", "authority", "cookie", False),
    ("auth3", "authority", "cookie", False),
    ("middle1", "middle", "cookie", False),
    ("middle2", "middle", "password", False),
    ("exit1", "exit", "cookie", False),
    ("exit2", "exit", "cookie", True),
    ("client1", "client", "cookie", False),
]

# Tor refuses options of its utility modes to touch anything but DIR: the
# key/hash helpers run with an empty torrc, no defaults file and no network.
SAFE_UTIL = ["--ignore-missing-torrc", "-f", "/dev/null", "--defaults-torrc", "/dev/null",
             "--DisableNetwork", "1"]


def _port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_ports(count, taken=()):
    """Random free ports below the ephemeral range (32768+), so an outgoing
    connection cannot grab one between this check and tor's bind."""
    rng = random.SystemRandom()
    chosen = []
    while len(chosen) < count:
        port = rng.randrange(20000, 32000)
        if port in chosen or port in taken or not _port_free(port):
            continue
        chosen.append(port)
    return chosen


def plan(d, health=False):
    """The instances of a new network, with ports but no keys yet
    (health: with the extras of tn_health)."""
    instances = []
    extras = [] if not health else [e for e in tn_health.LAYOUT
                                    if health != "ci" or e[0] in tn_health.CI_EXTRAS]
    if health == "ci":
        # The suite's network: its extras are ordinary middles, started and
        # waited for with the others, so every consensus lists them before a
        # test runs (no self-test, no late join).
        extras = [(nick, "middle", auth, unix) for nick, _role, auth, unix in extras]
    for nick, role, auth, unix in LAYOUT + extras:
        names = ["or", "control"] if role != "client" else ["socks", "control"]
        if role == "authority":
            names.append("dir")
        inst = {
            "nickname": nick,
            "role": role,
            "auth": auth,
            "data_dir": os.path.join(d, nick),
            "torrc": os.path.join(d, nick, "torrc"),
            "log": os.path.join(d, nick, "notice.log"),
            "ports": dict.fromkeys(names),
            "cookie_file": os.path.join(d, nick, "control_auth_cookie") if auth == "cookie" else None,
            "password": PASSWORD if auth == "password" else None,
            "control_socket": os.path.join(d, nick, "control.sock") if unix else None,
            "pid": None,
            "fingerprint": None,
            "health": health,
        }
        if nick in IPV6_RELAYS:
            inst["ports"]["or6"] = None
        if role == "client":
            inst["hs_dir"] = os.path.join(d, nick, "hs")
        if health:
            inst["ports"].update(dict.fromkeys(tn_health.extra_ports(inst)))
        instances.append(inst)
    wanted = sum(len(i["ports"]) for i in instances)
    ports = iter(free_ports(wanted + 1))
    for inst in instances:
        for name in inst["ports"]:
            inst["ports"][name] = next(ports)
        inst["control_endpoint"] = f"127.0.0.1:{inst['ports']['control']}"
        sock = inst["control_socket"]
        if sock and len(sock.encode()) > 100:
            raise RuntimeError(f"unix socket path too long for AF_UNIX: {sock} (use a shorter DIR)")
    # The web server's port, chosen now: the client's onion service points at it.
    http_port = next(ports)
    for inst in instances:
        inst["http_port"] = http_port
    return instances


def _run(cmd, stdin=None):
    res = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}{res.stderr}")
    return res.stdout


def _gencert(inst):
    keys = os.path.join(inst["data_dir"], "keys")
    os.makedirs(keys, mode=0o700, exist_ok=True)
    _run([GENCERT, "--create-identity-key", "--passphrase-fd", "0", "-m", "12",
          "-a", f"127.0.0.1:{inst['ports']['dir']}",
          "-i", os.path.join(keys, "authority_identity_key"),
          "-s", os.path.join(keys, "authority_signing_key"),
          "-c", os.path.join(keys, "authority_certificate")], stdin="\n")
    with open(os.path.join(keys, "authority_certificate")) as f:
        m = re.search(r"^fingerprint ([0-9A-F]{40})$", f.read(), re.M)
    inst["v3ident"] = m.group(1)


def _fingerprint(inst):
    out = _run([TOR, *SAFE_UTIL, "--orport", "1", "--datadirectory", inst["data_dir"],
                "--list-fingerprint"])
    fp = "".join(out.strip().splitlines()[-1].split()[1:])
    if not re.fullmatch(r"[0-9A-F]{40}", fp):
        raise RuntimeError(f"cannot read fingerprint of {inst['nickname']}: {out}")
    inst["fingerprint"] = fp


def hash_password(password):
    out = _run([TOR, *SAFE_UTIL, "--hash-password", password])
    return out.strip().splitlines()[-1]


def make_keys(instances):
    """Authority certificates and relay identities, generated in parallel."""
    for inst in instances:
        os.makedirs(inst["data_dir"], mode=0o700, exist_ok=True)
    relays = [i for i in instances if i["role"] != "client"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [pool.submit(_gencert, i) for i in instances if i["role"] == "authority"]
        jobs += [pool.submit(_fingerprint, i) for i in relays]
        for fut in jobs:
            fut.result()
    if any(i.get("health") for i in instances):
        tn_health.make_family_key(TOR, instances, _run)


def write_common_files(d, instances):
    with open(os.path.join(d, "resolv.conf"), "w") as f:
        f.write("# the only resolver the testnet's relays may use\nnameserver 127.0.0.1\n")
    with open(os.path.join(d, "bandwidths"), "w") as f:
        # Bandwidth file format 1.0.0: timestamp, then one line per relay.
        f.write(f"{int(time.time())}\n")
        for inst in instances:
            if inst["fingerprint"]:
                f.write(f"node_id=${inst['fingerprint']} bw=1000\n")


def _authority_lines(instances):
    return [f"DirAuthority {a['nickname']} orport={a['ports']['or']} no-v2 v3ident={a['v3ident']} "
            f"127.0.0.1:{a['ports']['dir']} {a['fingerprint']}"
            for a in instances if a["role"] == "authority"]


def or_address(inst):
    """The IPv4 address the relay's ORPort is bound to and advertised at."""
    return inst.get("address") or BOUND_EXIT.get(inst["nickname"], {}).get("or", "127.0.0.1")


def torrc_text(d, inst, instances, hashed_password=None):
    role = inst["role"]
    ipv6 = inst["nickname"] in IPV6_RELAYS or role in ("client", "authority")
    bound = BOUND_EXIT.get(inst["nickname"])
    lines = [
        "# Written by scripts/testnet: a private Tor network on 127.0.0.1 only.",
        "TestingTorNetwork 1",
        *_authority_lines(instances),
        "UseDefaultFallbackDirs 0",
        *(["ClientUseIPv6 1", "ClientPreferIPv6ORPort 1"] if ipv6 else
          ["ClientUseIPv6 0", "ClientPreferIPv6ORPort 0", "AddressDisableIPv6 1"]),
        *([f"OutboundBindAddressOR {bound['or_out']}",
           f"OutboundBindAddressExit {bound['exit_out']}"] if bound else
          [f"OutboundBindAddress {inst.get('address') or '127.0.0.1'}"]),
        f"DataDirectory {inst['data_dir']}",
        f"Nickname {inst['nickname']}",
        "RunAsDaemon 0",
        f"PidFile {inst['data_dir']}/tor.pid",
        f"Log notice file {inst['log']}",
        "SafeLogging 0",
        "LogTimeGranularity 1",
        # Leaves /proc/PID/fd readable by the same (non-root) user, so
        # ss -p / lsof / relaymon see the sockets without root.
        "DisableDebuggerAttachment 0",
        "ShutdownWaitLength 0",
        "PathsNeededToBuildCircuits 0.67",
        f"ControlPort 127.0.0.1:{inst['ports']['control']}",
    ]
    if inst["auth"] == "password":
        lines += ["CookieAuthentication 0", f"HashedControlPassword {hashed_password}"]
    else:
        lines += ["CookieAuthentication 1"]
    if inst["control_socket"]:
        lines += [f"ControlSocket {inst['control_socket']}"]
    if role == "client":
        lines += [
            f"SocksPort 127.0.0.1:{inst['ports']['socks']}",
            "UseMicrodescriptors 0",
            "FetchDirInfoEarly 1",
            "FetchDirInfoExtraEarly 1",
        ]
        # Exit pinning per destination name: exitN.testnet -> 127.0.0.1 via exitN.
        for e in instances:
            if e["role"] == "exit":
                lines.append(f"MapAddress {e['nickname']}.testnet 127.0.0.1.{e['fingerprint']}.exit")
        lines += [f"HiddenServiceDir {inst['hs_dir']}",
                  f"HiddenServicePort 80 127.0.0.1:{inst['http_port']}"]
        return "\n".join(lines) + "\n"
    lines += [
        "SocksPort 0",
        f"ORPort {or_address(inst)}:{inst['ports']['or']}",
        f"Address {or_address(inst)}",
        "AssumeReachable 1",
        f"ContactInfo {inst['nickname']}@testnet.invalid",
        f"ServerDNSResolvConfFile {d}/resolv.conf",
        "ServerDNSDetectHijacking 0",
    ]
    if inst["nickname"] in IPV6_RELAYS:
        lines += [f"ORPort [::1]:{inst['ports']['or6']}", "AssumeReachableIPv6 1"]
    if role == "exit":
        lines += ["ExitRelay 1", "ExitPolicyRejectPrivate 0",
                  "ExitPolicy accept 127.0.0.1:*", "ExitPolicy reject *:*"]
    else:
        lines += ["ExitRelay 0", "ExitPolicy reject *:*"]
    if inst.get("health"):
        lines = tn_health.adjust_torrc(d, inst, instances, lines)
    if role == "authority":
        exits = ",".join(e["fingerprint"] for e in instances if e["role"] == "exit")
        lines += [
            f"DirPort 127.0.0.1:{inst['ports']['dir']}",
            "AuthoritativeDirectory 1",
            "V3AuthoritativeDirectory 1",
            "AuthDirTestReachability 1",
            "TestingAuthDirTimeToLearnReachability 0",
            # Vote the IPv6 ORPorts of middle1 and exit1 (`a` lines).
            "AuthDirHasIPv6Connectivity 1",
            f"V3BandwidthsFile {d}/bandwidths",
            "TestingV3AuthInitialVotingInterval 20",
            "TestingV3AuthInitialVoteDelay 4",
            "TestingV3AuthInitialDistDelay 4",
            "V3AuthVotingInterval 20",
            "V3AuthVoteDelay 4",
            "V3AuthDistDelay 4",
            "V3AuthNIntervalsValid 2",
            f"TestingDirAuthVoteExit {exits}",
            "TestingDirAuthVoteGuard *",
            "TestingDirAuthVoteHSDir *",
            "TestingMinExitFlagThreshold 0",
        ]
    return "\n".join(lines) + "\n"


def write_torrcs(d, instances):
    hashed = hash_password(PASSWORD)
    for inst in instances:
        with open(inst["torrc"], "w") as f:
            f.write(torrc_text(d, inst, instances, hashed))


def launch(inst):
    """Starts one tor in its own session, detached from our stdio (so ctest
    and the demo's terminal never wait on it); returns the Popen."""
    out = open(os.path.join(inst["data_dir"], "stdout.log"), "ab")
    try:
        return subprocess.Popen([TOR, "-f", inst["torrc"], "--defaults-torrc", "/dev/null"],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=inst["data_dir"])
    finally:
        out.close()
