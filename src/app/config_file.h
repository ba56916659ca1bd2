// Reading relaymon's config file, and the ssh-style warning when a file
// holding the control password is open to other users.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>

namespace relaymon::app {

struct ConfigFileText {
  std::string text;
  struct stat st {};  // of the descriptor that was read
};

// The file's text, opened close-on-exec (the tools relaymon runs never
// inherit it); nullopt with `error` = errno when it cannot be read.
std::optional<ConfigFileText> read_config_file(const std::string& path, int& error);

// Empty when the file is private to `user` (owned by them, no group or
// other read/write bits); otherwise one line naming the file, its mode, its
// owner and group, and the fix (chmod 600, chown), like ssh's warning
// about an unprotected key file.
std::string password_file_warning(const std::string& path, const struct stat& st, uid_t user);

}  // namespace relaymon::app
