#include "control/auth.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "control/quoting.h"

namespace relaymon::control {

namespace {

constexpr std::string_view kServerKey = "Tor safe cookie authentication server-to-controller hash";
constexpr std::string_view kClientKey = "Tor safe cookie authentication controller-to-server hash";

std::string hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string current_user() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return "$USER";
}

}  // namespace

bool ProtocolInfo::has(std::string_view method) const {
  for (const auto& m : methods) {
    if (m == method) return true;
  }
  return false;
}

std::optional<ProtocolInfo> parse_protocolinfo(const Reply& reply, std::string& error) {
  if (!reply.ok()) {
    error = fmt::format("PROTOCOLINFO refused: {} {}", reply.code(), reply.message());
    return std::nullopt;
  }
  ProtocolInfo info;
  bool saw_auth = false;
  for (const auto& line : reply.lines) {
    auto parsed = tokenize_args(line.text);
    const ArgList* args = std::get_if<ArgList>(&parsed);
    if (!args || args->positional.empty()) continue;
    if (args->positional.front() == "AUTH") {
      saw_auth = true;
      if (const std::string* methods = args->find("METHODS")) {
        std::string_view rest = *methods;
        while (!rest.empty()) {
          auto comma = rest.find(',');
          info.methods.emplace_back(rest.substr(0, comma));
          if (comma == std::string_view::npos) break;
          rest.remove_prefix(comma + 1);
        }
      }
      if (const std::string* cookie = args->find("COOKIEFILE")) info.cookie_file = *cookie;
    } else if (args->positional.front() == "VERSION") {
      if (const std::string* version = args->find("Tor")) info.tor_version = *version;
    }
  }
  if (!saw_auth) {
    error = "PROTOCOLINFO reply has no AUTH line";
    return std::nullopt;
  }
  return info;
}

std::variant<std::string, Error> read_cookie(const std::string& path) {
  if (path.empty()) {
    return Error{ErrorKind::kAuthUnavailable,
                 "tor offers cookie authentication but names no cookie file"};
  }
  // The path comes from the peer's PROTOCOLINFO. Open first, then check
  // what was opened (fstat on the descriptor): checking the path and then
  // opening it let a FIFO swapped in between block the open forever.
  // O_NONBLOCK makes opening a FIFO or device return at once; O_CLOEXEC
  // keeps it from the tools relaymon runs. No O_NOFOLLOW: the peer names
  // the path anyway (a link gives it nothing it could not name directly),
  // and an operator's CookieAuthFile may be a link.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int saved = errno;
    struct stat st {};
    bool exists = ::stat(path.c_str(), &st) == 0;  // only to explain the failure
    if (exists && saved == EACCES) {
      std::string group_name = std::to_string(st.st_gid);
      if (const struct group* gr = getgrgid(st.st_gid)) group_name = gr->gr_name;
      return Error{
          ErrorKind::kAuthUnavailable,
          fmt::format("cannot read the cookie file {} (owned by group {}, mode {:o}) as {}. "
                      "Fix: adduser {} {} (then log in again), or run relaymon as tor's user",
                      path, group_name, st.st_mode & 0777, current_user(), current_user(),
                      group_name)};
    }
    if (saved == EACCES) {
      return Error{ErrorKind::kAuthUnavailable,
                   fmt::format("cannot reach the cookie file {}: a directory on its path is not "
                               "readable by {} ({}). Run relaymon as tor's user, or give this user "
                               "access (on Debian: adduser {} debian-tor, then log in again)",
                               path, current_user(), std::strerror(saved), current_user())};
    }
    return Error{ErrorKind::kAuthUnavailable,
                 fmt::format("the cookie file {} {} ({}). Is tor running with "
                             "CookieAuthentication 1, and is this the tor you meant?",
                             path, saved == ENOENT ? "does not exist" : "cannot be opened",
                             std::strerror(saved))};
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error{ErrorKind::kAuthUnavailable,
                 fmt::format("the cookie file {} is not a regular file: it is not a tor control "
                             "cookie",
                             path)};
  }
  if (st.st_size != 32) {
    return Error{ErrorKind::kAuthUnavailable,
                 fmt::format("the cookie file {} holds {} bytes, not 32: it is not a tor control "
                             "cookie",
                             path, static_cast<long long>(st.st_size))};
  }
  // At most 33 bytes, whatever the size said: the file may grow meanwhile.
  std::string cookie(33, '\0');
  std::size_t got = 0;
  while (got < cookie.size()) {
    ssize_t n = ::read(fd, cookie.data() + got, cookie.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got != 32) {
    return Error{ErrorKind::kAuthUnavailable,
                 fmt::format("the cookie file {} holds {} bytes, not 32: it is not a tor control "
                             "cookie",
                             path, got)};
  }
  cookie.resize(32);
  return cookie;
}

std::optional<AuthChallenge> parse_authchallenge(const Reply& reply, std::string& error) {
  if (!reply.ok() || reply.lines.size() != 1) {
    error = fmt::format("AUTHCHALLENGE refused: {} {}", reply.code(), reply.message());
    return std::nullopt;
  }
  auto parsed = tokenize_args(reply.lines.front().text);
  const ArgList* args = std::get_if<ArgList>(&parsed);
  if (!args || args->positional.empty() || args->positional.front() != "AUTHCHALLENGE") {
    error = "malformed AUTHCHALLENGE reply";
    return std::nullopt;
  }
  const std::string* hash = args->find("SERVERHASH");
  const std::string* nonce = args->find("SERVERNONCE");
  std::optional<std::string> hash_bytes = hash ? from_hex(*hash) : std::nullopt;
  std::optional<std::string> nonce_bytes = nonce ? from_hex(*nonce) : std::nullopt;
  if (!hash_bytes || !nonce_bytes || hash_bytes->size() != 32 || nonce_bytes->size() != 32) {
    error = "AUTHCHALLENGE reply lacks a 32-byte SERVERHASH and SERVERNONCE";
    return std::nullopt;
  }
  return AuthChallenge{*hash_bytes, *nonce_bytes};
}

std::string safecookie_server_hash(std::string_view cookie, std::string_view client_nonce,
                                   std::string_view server_nonce) {
  return hmac_sha256(kServerKey, fmt::format("{}{}{}", cookie, client_nonce, server_nonce));
}

std::string safecookie_client_hash(std::string_view cookie, std::string_view client_nonce,
                                   std::string_view server_nonce) {
  return hmac_sha256(kClientKey, fmt::format("{}{}{}", cookie, client_nonce, server_nonce));
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) out += fmt::format("{:02X}", c);
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int high = nibble(hex[i]);
    int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

bool equal_secrets(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace relaymon::control
