// Close-on-exec for descriptors opened by libraries that do not ask for it
// (asio opens and accepts sockets without SOCK_CLOEXEC): the tools relaymon
// runs (ss, netstat, lsof) must never inherit the control connection, a
// /metrics client or a MetricsPort fetch. Sockets are opened on the thread
// that spawns the tools, so no child starts between open and this call.
#pragma once

#include <fcntl.h>

namespace relaymon::control {

inline void set_close_on_exec(int fd) {
  if (fd >= 0) ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

}  // namespace relaymon::control
