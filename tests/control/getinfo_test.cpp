// GETINFO / GETCONF replies and the values relaymon reads from them, from
// the exact reply bytes of tor 0.4.9.11 (testnet captures), plus malformed
// replies and values.
#include <catch2/catch.hpp>

#include "control/auth.h"
#include "control/getinfo.h"
#include "fixture_replies.h"

using namespace relaymon::control;
using relaymon::control::testing::frame;
using relaymon::control::testing::kClient;
using relaymon::control::testing::kExit;
using relaymon::control::testing::kExtra;
using relaymon::control::testing::single_reply;

namespace {

InfoMap info_of(const Reply& reply) {
  auto parsed = parse_getinfo(reply);
  if (auto* err = std::get_if<ReplyError>(&parsed)) {
    FAIL("GETINFO error " << err->code << ": " << err->message);
  }
  return std::get<InfoMap>(std::move(parsed));
}

InfoMap info_file(std::string_view dir, std::string_view file) {
  return info_of(single_reply(std::string(dir) + std::string(file)));
}

ReplyError getinfo_error(const Reply& reply) {
  auto parsed = parse_getinfo(reply);
  const auto* err = std::get_if<ReplyError>(&parsed);
  REQUIRE(err != nullptr);
  return *err;
}

ConfMap conf_of(const Reply& reply) {
  auto parsed = parse_getconf(reply);
  if (auto* err = std::get_if<ReplyError>(&parsed)) {
    FAIL("GETCONF error " << err->code << ": " << err->message);
  }
  return std::get<ConfMap>(std::move(parsed));
}

Reply wire(std::string_view bytes) {
  auto replies = frame(bytes);
  REQUIRE(replies.size() == 1);
  return replies.front();
}

template <typename T>
T ok(std::variant<T, ParseError> parsed) {
  if (auto* err = std::get_if<ParseError>(&parsed)) FAIL("parse error: " << err->message);
  return std::get<T>(std::move(parsed));
}

template <typename T>
std::string parse_error(std::variant<T, ParseError> parsed) {
  const auto* err = std::get_if<ParseError>(&parsed);
  REQUIRE(err != nullptr);
  CHECK_FALSE(err->message.empty());
  return err->message;
}

}  // namespace

TEST_CASE("GETINFO single values from the exit's capture", "[getinfo]") {
  const std::tuple<std::string_view, std::string_view, std::string_view> cases[] = {
      {"04-getinfo-version.txt", "version", "0.4.9.11"},
      {"05-getinfo-uptime.txt", "uptime", "263"},
      {"06-getinfo-traffic_read.txt", "traffic/read", "456105012"},
      {"08-getinfo-process_pid.txt", "process/pid", "31103"},
      {"10-getinfo-process_user.txt", "process/user", "root"},
      {"11-getinfo-config-file.txt", "config-file", "/var/lib/testnet/nodes/labexit4/torrc"},
      {"12-getinfo-fingerprint.txt", "fingerprint", "0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381"},
      {"13-getinfo-address.txt", "address", "127.0.0.1"},
      {"22-getinfo-accounting_enabled.txt", "accounting/enabled", "0"},
      {"24-getinfo-ip-to-country_127.0.0.1.txt", "ip-to-country/127.0.0.1", "??"},
  };
  for (const auto& [file, key, value] : cases) {
    INFO(file);
    const InfoMap info = info_file(kExit, file);
    REQUIRE(info.entries.size() == 1);
    CHECK(info.entries[0].key == key);
    CHECK_FALSE(info.entries[0].from_data_block);
    REQUIRE(info.find(key) != nullptr);
    CHECK(*info.find(key) == value);
    CHECK(info.find("nonexistent") == nullptr);
  }
}

TEST_CASE("GETINFO batch keeps the keys in reply order", "[getinfo]") {
  const InfoMap info = info_file(kExit, "26-getinfo-batch-version_uptime_traffic_rea.txt");
  REQUIRE(info.entries.size() == 5);
  CHECK(info.entries[0].key == "version");
  CHECK(info.entries[2].key == "traffic/read");
  CHECK(*info.find("traffic/written") == "472187387");
  CHECK(*info.find("process/pid") == "31103");
}

TEST_CASE("GETINFO empty single-line value (stream-status on the exit)", "[getinfo]") {
  const InfoMap info = info_file(kExit, "16-getinfo-stream-status.txt");
  REQUIRE(info.find("stream-status") != nullptr);
  CHECK(info.find("stream-status")->empty());
  CHECK(ok(parse_circuit_status(*info.find("stream-status"))).empty());
}

TEST_CASE("GETINFO data block: ns/all, without CRs or the final newline", "[getinfo]") {
  const InfoMap info = info_file(kExit, "18-getinfo-ns_all.txt");
  REQUIRE(info.entries.size() == 1);
  CHECK(info.entries[0].from_data_block);
  const std::string& doc = *info.find("ns/all");
  CHECK_THAT(doc, Catch::StartsWith("r labrelay6 DAb6FvCI0GlQM/JCuykJx0ZEgCs"));
  CHECK_THAT(doc, Catch::EndsWith("p reject 1-65535"));
  CHECK(doc.find('\r') == std::string::npos);
  CHECK(doc.find("\nr labexit4 ") != std::string::npos);
}

TEST_CASE("GETINFO refusals keep tor's code and message", "[getinfo][malformed]") {
  const auto conn_all = getinfo_error(single_reply(std::string(kExit) + "25-getinfo-conn_all.txt"));
  CHECK(conn_all.code == 552);
  CHECK(conn_all.message == "Unrecognized key \"conn/all\"");
  CHECK_FALSE(conn_all.malformed);
  CHECK(unrecognized_key(conn_all) == "conn/all");

  // One unknown key fails the whole batch.
  const auto batch = getinfo_error(
      single_reply(std::string(kClient) + "27-getinfo-batch-version_conn_all_traffic_r.txt"));
  CHECK(unrecognized_key(batch) == "conn/all");

  const auto fp = getinfo_error(single_reply(std::string(kClient) + "12-getinfo-fingerprint.txt"));
  CHECK(fp.code == 551);
  CHECK(fp.message == "Not running in server mode");
  CHECK_FALSE(unrecognized_key(fp).has_value());

  const auto addr = getinfo_error(single_reply(std::string(kClient) + "13-getinfo-address.txt"));
  CHECK(addr.code == 551);
  CHECK(addr.message == "Address unknown");

  const auto policy =
      getinfo_error(single_reply(std::string(kClient) + "21-getinfo-exit-policy_full.txt"));
  CHECK(policy.code == 552);
  CHECK_FALSE(unrecognized_key(policy).has_value());  // 552, but not an unknown key
}

TEST_CASE("GETINFO malformed replies", "[getinfo][malformed]") {
  CHECK(getinfo_error(Reply{}).malformed);
  const auto no_ok = getinfo_error(wire("250 version=0.4.9.11\r\n"));
  CHECK(no_ok.malformed);
  CHECK(no_ok.code == 250);
  CHECK_THAT(no_ok.message, Catch::Contains("does not end with \"OK\""));
  CHECK(getinfo_error(wire("250-no equals sign\r\n250 OK\r\n")).malformed);
  CHECK(getinfo_error(wire("250-=value\r\n250 OK\r\n")).malformed);
  CHECK(getinfo_error(wire("250-version=1\r\n250-OK\r\n250 OK\r\n")).malformed);
}

TEST_CASE("net/listeners values: TCP, unix, empty", "[getinfo]") {
  const InfoMap orl = info_file(kExit, "19-getinfo-net_listeners_or.txt");
  const auto or_listeners = ok(parse_listeners(*orl.find("net/listeners/or")));
  REQUIRE(or_listeners.size() == 1);
  REQUIRE(or_listeners[0].endpoint.has_value());
  CHECK(or_listeners[0].endpoint->address == "127.0.0.1");
  CHECK(or_listeners[0].endpoint->port == 5004);
  CHECK(or_listeners[0].unix_path.empty());

  const InfoMap ctl = info_file(kExit, "20-getinfo-net_listeners_control.txt");
  const auto control = ok(parse_listeners(*ctl.find("net/listeners/control")));
  REQUIRE(control.size() == 2);
  CHECK(control[0].endpoint->port == 8004);
  CHECK(control[1].unix_path == "/var/lib/testnet/nodes/labexit4/control.sock");
  CHECK_FALSE(control[1].endpoint.has_value());
  CHECK(control[1].raw == "unix:/var/lib/testnet/nodes/labexit4/control.sock");

  // The client has no ORPort: an empty value.
  const InfoMap client_or = info_file(kClient, "19-getinfo-net_listeners_or.txt");
  CHECK(ok(parse_listeners(*client_or.find("net/listeners/or"))).empty());

  const InfoMap socks =
      info_file(std::string(kExtra) + "client-labclient7/", "19-getinfo-net_listeners_socks.txt");
  const auto s = ok(parse_listeners(*socks.find("net/listeners/socks")));
  REQUIRE(s.size() == 1);
  CHECK(s[0].endpoint->port == 9007);
  const InfoMap dir =
      info_file(std::string(kExtra) + "auth-labauth0/", "18-getinfo-net_listeners_dir.txt");
  CHECK(ok(parse_listeners(*dir.find("net/listeners/dir")))[0].endpoint->port == 7000);
}

TEST_CASE("net/listeners hand-written: IPv6 brackets", "[getinfo]") {
  const auto l = ok(parse_listeners("\"[::1]:9050\" \"[2001:db8::7]:443\""));
  REQUIRE(l.size() == 2);
  CHECK(l[0].endpoint->address == "::1");
  CHECK(l[1].endpoint->address == "2001:db8::7");
  CHECK(l[1].endpoint->port == 443);
}

TEST_CASE("net/listeners malformed", "[getinfo][malformed]") {
  CHECK_THAT(parse_error(parse_listeners("\"127.0.0.1:5004")), Catch::Contains("unterminated"));
  CHECK_THAT(parse_error(parse_listeners("\"unix:\"")), Catch::Contains("without a path"));
  CHECK_THAT(parse_error(parse_listeners("\"127.0.0.1\"")), Catch::Contains("no port"));
  CHECK_THAT(parse_error(parse_listeners("\"127.0.0.1:70000\"")), Catch::Contains("bad port"));
  CHECK_THAT(parse_error(parse_listeners("KEY=\"x:1\"")), Catch::Contains("unexpected"));
}

TEST_CASE("orconn-status: relays by name and a client by address", "[getinfo]") {
  const InfoMap info = info_file(kExit, "14-getinfo-orconn-status.txt");
  CHECK(info.entries[0].from_data_block);
  const auto conns = ok(parse_orconn_status(*info.find("orconn-status")));
  REQUIRE(conns.size() == 7);
  int relays = 0;
  for (const auto& c : conns) {
    CHECK(c.status == "CONNECTED");
    if (c.target.router) ++relays;
  }
  CHECK(relays == 6);
  CHECK(conns[0].target.router->fingerprint == "2AB6D6690E4C7C39B56B344E076D05AF95F79CB7");
  CHECK(conns[0].target.router->nickname == "labauth0");
  REQUIRE(conns[4].target.endpoint.has_value());
  CHECK(conns[4].target.endpoint->address == "127.0.0.1");
  CHECK(conns[4].target.endpoint->port == 48990);
  CHECK(conns[4].target.raw == "127.0.0.1:48990");

  const InfoMap client = info_file(kClient, "14-getinfo-orconn-status.txt");
  const auto client_conns = ok(parse_orconn_status(*client.find("orconn-status")));
  REQUIRE(client_conns.size() == 6);
  CHECK(client_conns[0].target.router->nickname == "labexit4");
}

TEST_CASE("orconn-status malformed", "[getinfo][malformed]") {
  CHECK_THAT(parse_error(parse_orconn_status("$2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~a\n")),
             Catch::Contains("line 1: missing connection status"));
  CHECK_THAT(parse_error(parse_orconn_status("127.0.0.1:1 CONNECTED\n$ZZ CONNECTED\n")),
             Catch::Contains("line 2"));
  CHECK(ok(parse_orconn_status("")).empty());
}

TEST_CASE("circuit-status from both captures", "[getinfo]") {
  const InfoMap exit = info_file(kExit, "15-getinfo-circuit-status.txt");
  const std::string& value = *exit.find("circuit-status");
  const auto circuits = ok(parse_circuit_status(value));
  const auto lines = static_cast<std::size_t>(std::count(value.begin(), value.end(), '\n') + 1);
  CHECK(circuits.size() == lines);
  CHECK(circuits[0].id == "29");
  CHECK(circuits[0].status == "BUILT");
  CHECK(circuits[0].path.size() == 3);
  CHECK(circuits[0].purpose == "HS_VANGUARDS");
  CHECK(circuits[1].purpose == "CONFLUX_LINKED");

  // The line's other keywords come with parse_circuit_line.
  const std::string second = value.substr(value.find('\n') + 1);
  const auto line = ok(parse_circuit_line(second.substr(0, second.find('\n'))));
  CHECK(line.circuit.id == "28");
  CHECK(*line.args.find("CONFLUX_ID") == "92FCDB2C489FC7296D0977025930581B");
  CHECK(*line.args.find("CONFLUX_RTT") == "23759");

  const InfoMap client = info_file(kClient, "15-getinfo-circuit-status.txt");
  const auto client_circuits = ok(parse_circuit_status(*client.find("circuit-status")));
  REQUIRE(client_circuits.size() >= 2);
  CHECK(client_circuits[1].id == "2");
  CHECK(client_circuits[1].socks_username == "w1r0");
  CHECK(client_circuits[1].path[2].nickname == "labexit4");
}

TEST_CASE("circuit-status malformed", "[getinfo][malformed]") {
  CHECK_THAT(parse_error(parse_circuit_status("1 BUILT\n2\n")), Catch::Contains("line 2"));
  CHECK_THAT(parse_error(parse_circuit_status("x-y BUILT\n")), Catch::Contains("circuit id"));
  CHECK_THAT(parse_error(parse_circuit_line("1 BUILT SOCKS_USERNAME=\"open")),
             Catch::Contains("unterminated"));
}

TEST_CASE("status/bootstrap-phase from both captures", "[getinfo]") {
  for (const auto dir : {kExit, kClient}) {
    const InfoMap info = info_file(dir, "23-getinfo-status_bootstrap-phase.txt");
    const auto phase = ok(parse_bootstrap_phase(*info.find("status/bootstrap-phase")));
    CHECK(phase.severity == "NOTICE");
    CHECK(phase.progress == 100);
    CHECK(phase.tag == "done");
    CHECK(phase.summary == "Done");
    CHECK(phase.warning.empty());
    CHECK(phase.arguments.size() == 3);
  }
}

TEST_CASE("status/bootstrap-phase hand-written: a stuck bootstrap", "[getinfo]") {
  const auto phase = ok(parse_bootstrap_phase(
      "WARN BOOTSTRAP PROGRESS=10 TAG=conn_done SUMMARY=\"Connected to a relay\" "
      "WARNING=\"Connection refused\" REASON=CONNECTREFUSED COUNT=3 RECOMMENDATION=warn "
      "HOSTID=\"$AAAA\" HOSTADDR=\"192.0.2.1:9001\""));
  CHECK(phase.severity == "WARN");
  CHECK(phase.progress == 10);
  CHECK(phase.warning == "Connection refused");
  CHECK(phase.reason == "CONNECTREFUSED");
  CHECK(phase.recommendation == "warn");
  CHECK(phase.arguments.size() == 9);
}

TEST_CASE("status/bootstrap-phase malformed", "[getinfo][malformed]") {
  CHECK_THAT(parse_error(parse_bootstrap_phase("NOTICE BOOTSTRAP TAG=done")),
             Catch::Contains("PROGRESS"));
  CHECK_THAT(parse_error(parse_bootstrap_phase("NOTICE BOOTSTRAP PROGRESS=101")),
             Catch::Contains("PROGRESS"));
  CHECK_THAT(parse_error(parse_bootstrap_phase("NOTICE BOOTSTRAP PROGRESS=-1")),
             Catch::Contains("PROGRESS"));
  CHECK_THAT(parse_error(parse_bootstrap_phase("NOTICE CLOCK_JUMPED TIME=1")),
             Catch::Contains("BOOTSTRAP"));
  CHECK_THAT(parse_error(parse_bootstrap_phase("")), Catch::Contains("BOOTSTRAP"));
  CHECK_THAT(parse_error(parse_bootstrap_phase("NOTICE BOOTSTRAP PROGRESS=5 SUMMARY=\"x")),
             Catch::Contains("unterminated"));
}

TEST_CASE("GETCONF: values, repeated keys, last value on the end line", "[getinfo]") {
  const ConfMap conf = conf_of(single_reply(std::string(kExit) + "28-getconf-orport.txt"));
  REQUIRE(conf.entries.size() == 6);
  CHECK(conf.values("ORPort") == std::vector<std::string>{"127.0.0.1:5004"});
  CHECK(conf.values("ExitPolicy") == std::vector<std::string>{"accept 127.0.0.1:*", "reject *:*"});
  CHECK(conf.values("exitpolicyrejectprivate") == std::vector<std::string>{"0"});
  CHECK(conf.values("Nickname") == std::vector<std::string>{"labexit4"});
  CHECK(conf.values("ContactInfo").empty());
  CHECK_FALSE(conf.has("ContactInfo"));

  const ConfMap testing =
      conf_of(single_reply(std::string(kExit) + "29-getconf-testingenableconnbwevent.txt"));
  CHECK(testing.values("TestingTorNetwork") == std::vector<std::string>{"1"});
}

TEST_CASE("GETCONF: a bare key is an unset option", "[getinfo]") {
  const ConfMap conf = conf_of(single_reply(std::string(kClient) + "28-getconf-orport.txt"));
  REQUIRE(conf.entries.size() == 5);
  CHECK(conf.entries[0] == ConfEntry{"ORPort", std::nullopt});
  CHECK(conf.entries[1] == ConfEntry{"ExitPolicy", std::nullopt});
  CHECK(conf.has("ORPort"));
  CHECK(conf.values("ORPort").empty());
  CHECK(conf.values("ControlPort") == std::vector<std::string>{"127.0.0.1:8007"});
}

TEST_CASE("GETCONF hand-written: quoted values are unquoted, others kept", "[getinfo]") {
  const ConfMap conf =
      conf_of(wire("250-ContactInfo=\"op \\\"x\\\" #1\"\r\n"
                   "250-Nickname=a\"b\r\n"
                   "250 OK\r\n"));
  CHECK(conf.values("ContactInfo") == std::vector<std::string>{"op \"x\" #1"});
  CHECK(conf.values("Nickname") == std::vector<std::string>{"a\"b"});
  // The final "OK" is not an option (ends a reply whose last line is not a value).
  CHECK_FALSE(conf.has("OK"));
  CHECK(conf_of(wire("250 OK\r\n")).entries.empty());
}

TEST_CASE("GETCONF refusals and malformed replies", "[getinfo][malformed]") {
  auto refused = parse_getconf(wire("552 Unrecognized configuration key \"NoSuchOption\"\r\n"));
  REQUIRE(std::holds_alternative<ReplyError>(refused));
  CHECK(std::get<ReplyError>(refused).code == 552);
  CHECK_FALSE(std::get<ReplyError>(refused).malformed);

  for (const char* bad :
       {"250-=x\r\n250 OK\r\n", "250-Bad Key=1\r\n250 OK\r\n", "250 ContactInfo=\"open\r\n"}) {
    INFO(bad);
    auto parsed = parse_getconf(wire(bad));
    REQUIRE(std::holds_alternative<ReplyError>(parsed));
    CHECK(std::get<ReplyError>(parsed).malformed);
  }
  CHECK(std::holds_alternative<ReplyError>(parse_getconf(Reply{})));
}

// PROTOCOLINFO and AUTHCHALLENGE are parsed in control/auth.h (by the
// authentication code); these check them against the same captures.
TEST_CASE("PROTOCOLINFO from the captures: methods, cookie file, version", "[getinfo]") {
  std::string error;
  const auto exit =
      parse_protocolinfo(single_reply(std::string(kExit) + "01-protocolinfo.txt"), error);
  REQUIRE(exit.has_value());
  CHECK(exit->methods == std::vector<std::string>{"COOKIE", "SAFECOOKIE"});
  CHECK(exit->cookie_file == "/var/lib/testnet/nodes/labexit4/control_auth_cookie");
  CHECK(exit->tor_version == "0.4.9.11");
  CHECK_FALSE(exit->has("HASHEDPASSWORD"));

  const auto relay = parse_protocolinfo(
      single_reply(std::string(kExtra) + "relay-labrelay3/01-protocolinfo.txt"), error);
  REQUIRE(relay.has_value());
  CHECK(relay->has("HASHEDPASSWORD"));
  CHECK(relay->has("SAFECOOKIE"));
}

TEST_CASE("PROTOCOLINFO refused or without AUTH", "[getinfo][malformed]") {
  std::string error;
  CHECK_FALSE(parse_protocolinfo(wire("514 Authentication required.\r\n"), error));
  CHECK_THAT(error, Catch::Contains("514"));
  error.clear();
  CHECK_FALSE(parse_protocolinfo(
      wire("250-PROTOCOLINFO 1\r\n250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n"), error));
  CHECK_FALSE(error.empty());
}

TEST_CASE("AUTHCHALLENGE from the captures: 32-byte hash and nonce", "[getinfo]") {
  std::string error;
  const auto exit = parse_authchallenge(
      single_reply(std::string(kExit) + "02-authchallenge-safecookie.txt"), error);
  REQUIRE(exit.has_value());
  REQUIRE(exit->server_hash.size() == 32);
  REQUIRE(exit->server_nonce.size() == 32);
  CHECK(static_cast<unsigned char>(exit->server_hash[0]) == 0x32);
  CHECK(static_cast<unsigned char>(exit->server_hash[31]) == 0x3F);
  CHECK(static_cast<unsigned char>(exit->server_nonce[0]) == 0xB6);
  const auto client = parse_authchallenge(
      single_reply(std::string(kClient) + "02-authchallenge-safecookie.txt"), error);
  REQUIRE(client.has_value());
  CHECK(static_cast<unsigned char>(client->server_nonce[31]) == 0x19);
}

TEST_CASE("AUTHCHALLENGE malformed", "[getinfo][malformed]") {
  std::string error;
  CHECK_FALSE(
      parse_authchallenge(wire("250 AUTHCHALLENGE SERVERHASH=AB SERVERNONCE=CD\r\n"), error));
  CHECK_FALSE(parse_authchallenge(
      wire("250 AUTHCHALLENGE SERVERNONCE=" + std::string(64, 'A') + "\r\n"), error));
  CHECK_FALSE(parse_authchallenge(wire("250 AUTHCHALLENGE SERVERHASH=" + std::string(64, 'G') +
                                       " SERVERNONCE=" + std::string(64, 'A') + "\r\n"),
                                  error));
  CHECK_FALSE(parse_authchallenge(wire("250 OK\r\n"), error));
  CHECK_FALSE(parse_authchallenge(wire("513 Invalid base16 client nonce\r\n"), error));
}
