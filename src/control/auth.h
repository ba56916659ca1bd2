// Pure pieces of control-port authentication (control-spec 3.5, 3.21, 3.24):
// reading PROTOCOLINFO, the cookie file, and the SAFECOOKIE HMACs. The asio
// conversation that uses them is in control/controller.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "control/error.h"
#include "control/reply.h"

namespace relaymon::control {

struct ProtocolInfo {
  std::vector<std::string> methods;  // NULL, HASHEDPASSWORD, COOKIE, SAFECOOKIE
  std::string cookie_file;
  std::string tor_version;
  bool has(std::string_view method) const;
};

std::optional<ProtocolInfo> parse_protocolinfo(const Reply& reply, std::string& error);

// The 32-byte cookie, or an error that names the file, why it can't be read,
// and the fix (for EACCES: the file's group and `adduser USER GROUP`).
std::variant<std::string, Error> read_cookie(const std::string& path);

struct AuthChallenge {
  std::string server_hash;   // raw bytes
  std::string server_nonce;  // raw bytes
};

std::optional<AuthChallenge> parse_authchallenge(const Reply& reply, std::string& error);

// HMAC-SHA256 with the keys fixed by control-spec 3.24.
std::string safecookie_server_hash(std::string_view cookie, std::string_view client_nonce,
                                   std::string_view server_nonce);
std::string safecookie_client_hash(std::string_view cookie, std::string_view client_nonce,
                                   std::string_view server_nonce);

std::string random_bytes(std::size_t count);
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

// Constant-time comparison, so a fake peer learns nothing from timing.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace relaymon::control
