// The one scrubber for free text (model/scrub_text.h): every spelling of an
// address tor's log or events can hold, hostnames and onions, sensitive
// keyword fields; and what must stay (times, fingerprints, versions).
#include <catch2/catch.hpp>

#include "model/scrub_text.h"

using relaymon::model::scrub_event_text;
using relaymon::model::scrub_text;
using relaymon::model::scrub_token;

TEST_CASE("scrub_text hides IPv4 addresses, keeps their ports", "[scrub_text]") {
  CHECK(scrub_text("connect to 203.0.113.9:443 failed") == "connect to [scrubbed]:443 failed");
  CHECK(scrub_text("from 192.0.2.7") == "from [scrubbed]");
  CHECK(scrub_text("(203.0.113.5),") == "([scrubbed]),");
  CHECK(scrub_text("OR:203.0.113.5") == "OR:[scrubbed]");
  CHECK(scrub_text("address 198.51.100.23.") == "address [scrubbed].");
  CHECK(scrub_text("'10.1.2.3'") == "'[scrubbed]'");
}

TEST_CASE("scrub_text hides IPv6 in every spelling", "[scrub_text]") {
  CHECK(scrub_text("peer [2001:db8::1]:9001 gone") == "peer [scrubbed]:9001 gone");
  CHECK(scrub_text("fe80::1%eth0 down") == "[scrubbed] down");
  // Digit-only groups, no "::" and no hex letter (issue 12, item 5).
  CHECK(scrub_text("at 2001:1900:2100:1:0:1:0:22 now") == "at [scrubbed] now");
  CHECK(scrub_text("mapped ::ffff:192.0.2.1 too") == "mapped [scrubbed] too");
  CHECK(scrub_text("[2001:db8::7]:9001 LAUNCHED") == "[scrubbed]:9001 LAUNCHED");
  CHECK(scrub_text("ORADDRESS=[2001:db8::5]:9001") == "ORADDRESS=[scrubbed]:9001");
  CHECK(scrub_text("(2001:db8::5)") == "([scrubbed])");
  CHECK(scrub_text("x ::1 y") == "x [scrubbed] y");
}

TEST_CASE("scrub_text keeps times, dates, versions, fingerprints and hex words", "[scrub_text]") {
  CHECK(scrub_text("at 12:34:56 nothing") == "at 12:34:56 nothing");
  CHECK(scrub_text("TIME_CREATED=2026-11-21T22:18:17.627487") ==
        "TIME_CREATED=2026-11-21T22:18:17.627487");
  CHECK(scrub_text("Tor 0.4.9.11 (git-abc) running") == "Tor 0.4.9.11 (git-abc) running");
  CHECK(scrub_text("$A72CFD2A97A053ADAB21BC191ADE42C8BFDB7C23~labauth1 CONNECTED") ==
        "$A72CFD2A97A053ADAB21BC191ADE42C8BFDB7C23~labauth1 CONNECTED");
  CHECK(scrub_text("deadbeef cafe: 10.5 MB") == "deadbeef cafe: 10.5 MB");
  CHECK(scrub_text("[scrubbed]:443") == "[scrubbed]:443");
}

TEST_CASE("scrub_text hides hostnames, onions and sensitive fields", "[scrub_text]") {
  CHECK(scrub_text("Passing request for \"www.example.com\" to exit") ==
        "Passing request for \"[scrubbed]\" to exit");
  CHECK(scrub_text("(re)mapped 'example.org' to 'other.net'") ==
        "(re)mapped '[scrubbed]' to '[scrubbed]'");
  CHECK(scrub_text("fetch abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion:80") ==
        "fetch [scrubbed]:80");
  CHECK(scrub_text("DANGEROUS_SOCKS PROTOCOL=SOCKS5 ADDRESS=203.0.113.1:80") ==
        "DANGEROUS_SOCKS PROTOCOL=SOCKS5 ADDRESS=[scrubbed]");
  CHECK(scrub_text("SOCKS_USERNAME=\"example.com\" SOCKS_PASSWORD=\"a b\" ID=4") ==
        "SOCKS_USERNAME=[scrubbed] SOCKS_PASSWORD=[scrubbed] ID=4");
  CHECK(scrub_text("STATUS_CLIENT NOTICE DANGEROUS_PORT HOSTNAME=mail.example.com PORT=25") ==
        "STATUS_CLIENT NOTICE DANGEROUS_PORT HOSTNAME=[scrubbed] PORT=25");
  CHECK(scrub_text("REND_QUERY=abcdef") == "REND_QUERY=[scrubbed]");
  // A quoted text that is no hostname stays.
  CHECK(scrub_text("\"2026-11-22 10:00:00\"") == "\"2026-11-22 10:00:00\"");
}

TEST_CASE("scrub_event_text hides positional destinations", "[scrub_text]") {
  CHECK(scrub_event_text("ORCONN", "192.0.2.7:51234 CONNECTED ID=12") ==
        "[scrubbed]:51234 CONNECTED ID=12");
  CHECK(scrub_event_text("STATUS_SERVER",
                         "NOTICE CHECKING_REACHABILITY ORADDRESS=203.0.113.5:9001") ==
        "NOTICE CHECKING_REACHABILITY ORADDRESS=[scrubbed]:9001");
  CHECK(scrub_event_text("ADDRMAP", "www.example.com 198.51.100.3 \"2026-11-22 10:00:00\"") ==
        "[scrubbed] [scrubbed] \"2026-11-22 10:00:00\"");
  CHECK(scrub_event_text("CONF_CHANGED", "\nORPort=9001\nContactInfo=me") ==
        "ORPort=9001 ContactInfo=me");
  CHECK(scrub_event_text("STREAM", "1 NEW 0 example.com:443 SOURCE_ADDR=127.0.0.1:5555") ==
        "1 NEW 0 [scrubbed]:443 SOURCE_ADDR=[scrubbed]");
  CHECK(scrub_event_text("HS_DESC", "REQUESTED abcdefghijklmnop NO_AUTH $AAAA~x") ==
        "REQUESTED [scrubbed] NO_AUTH $AAAA~x");
}

TEST_CASE("scrub_token hides DNS names in values of unknown events, keeps versions",
          "[scrub_text]") {
  CHECK(scrub_token("www.example.org:443") == "[scrubbed]:443");
  CHECK(scrub_token("mail.example.net") == "[scrubbed]");
  CHECK(scrub_token("127.0.0.1.0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381.exit:18080") ==
        "[scrubbed]:18080");
  CHECK(scrub_token("GET http://example.com/ HTTP/1.0") == "GET [scrubbed] HTTP/1.0");
  CHECK(scrub_token("203.0.113.9") == "[scrubbed]");
  CHECK(scrub_token("abcdefghijklmnop.onion") == "[scrubbed]");
  // What stays: versions, fractions, sentences, fingerprints, plain words.
  CHECK(scrub_token("0.4.9.1-alpha") == "0.4.9.1-alpha");
  CHECK(scrub_token("0.855662") == "0.855662");
  CHECK(scrub_token("request timed out.") == "request timed out.");
  CHECK(scrub_token("$5D0034A368E0ABAF663D21847E1C9B6CFA09752A") ==
        "$5D0034A368E0ABAF663D21847E1C9B6CFA09752A");
  CHECK(scrub_token("conn_or") == "conn_or");
  CHECK(scrub_token("") == "");
}
