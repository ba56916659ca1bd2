// A config file holding the control password that other users can read
// (or that someone else owns) gets an ssh-style warning on stderr naming
// the file, its mode, owner and the fix. Temporary files of our own; the
// "owned by someone else" case uses a stat with another uid, since only
// root could chown a real file.
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "app/config_file.h"
#include "support/run_command.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

struct TempConfig {
  std::string path;
  TempConfig(const std::string& text, mode_t mode) {
    char name[] = "/tmp/relaymon-config-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream(path) << text;
    REQUIRE(::chmod(path.c_str(), mode) == 0);
  }
  ~TempConfig() { ::unlink(path.c_str()); }
  struct stat st() const {
    int error = 0;
    auto file = app::read_config_file(path, error);
    REQUIRE(file);
    return file->st;
  }
};

std::string me() {
  return ::getpwuid(::geteuid())->pw_name;
}
std::string my_group() {
  return ::getgrgid(::getegid())->gr_name;
}

}  // namespace

TEST_CASE("config permissions: a private file (600, ours) gets no warning") {
  TempConfig file("password secret\n", 0600);
  CHECK(app::password_file_warning(file.path, file.st(), ::geteuid()).empty());
  TempConfig read_only("password secret\n", 0400);
  CHECK(app::password_file_warning(read_only.path, read_only.st(), ::geteuid()).empty());
}

TEST_CASE("config permissions: world-readable names file, mode, owner and chmod 600") {
  TempConfig file("password secret\n", 0644);
  std::string w = app::password_file_warning(file.path, file.st(), ::geteuid());
  CHECK_THAT(w, Catch::Contains(file.path) && Catch::Contains("mode 644") &&
                    Catch::Contains("readable by group " + my_group()) &&
                    Catch::Contains("readable by every user") &&
                    Catch::Contains("chmod 600 " + file.path));
}

TEST_CASE("config permissions: group-readable only, and group-writable, are warned about") {
  TempConfig readable("password secret\n", 0640);
  std::string w = app::password_file_warning(readable.path, readable.st(), ::geteuid());
  CHECK_THAT(w, Catch::Contains("mode 640") && Catch::Contains("readable by group") &&
                    Catch::Contains("chmod 600"));
  CHECK_THAT(w, !Catch::Contains("every user"));
  TempConfig writable("password secret\n", 0620);
  CHECK_THAT(app::password_file_warning(writable.path, writable.st(), ::geteuid()),
             Catch::Contains("writable by group"));
}

TEST_CASE("config permissions: owned by someone else names the owner and chown") {
  TempConfig file("password secret\n", 0600);
  struct stat st = file.st();
  uid_t other = ::geteuid() == 0 ? 65534 : 0;  // nobody, or root
  st.st_uid = other;
  std::string w = app::password_file_warning(file.path, st, ::geteuid());
  std::string owner = ::getpwuid(other)->pw_name;
  CHECK_THAT(w, Catch::Contains("owned by " + owner + ", not by " + me()) &&
                    Catch::Contains("chown " + me() + " " + file.path));
  st.st_mode = S_IFREG | 0644;
  CHECK_THAT(app::password_file_warning(file.path, st, ::geteuid()),
             Catch::Contains("mode 644") && Catch::Contains("owned by " + owner) &&
                 Catch::Contains("chmod 600") && Catch::Contains("chown"));
}

TEST_CASE("relaymon warns on stderr about a readable config holding a password, not otherwise") {
  // Nothing listens on port 1: relaymon fails to connect and exits 1; the
  // warning comes before that.
  auto run = [](const TempConfig& file) {
    return run_command(
        {RELAYMON_BINARY, "--snapshot", "--timeout", "0.5", "-c", file.path, "-i", "127.0.0.1:1"});
  };
  TempConfig open_file("password secret\n", 0644);
  auto warned = run(open_file);
  CHECK_THAT(warned.err, Catch::Contains("WARNING: the config file " + open_file.path) &&
                             Catch::Contains("mode 644") && Catch::Contains("chmod 600"));
  CHECK(warned.err.find("secret") == std::string::npos);

  TempConfig private_file("password secret\n", 0600);
  CHECK(run(private_file).err.find("WARNING") == std::string::npos);
  TempConfig no_password("poll_interval 5\n", 0644);
  CHECK(run(no_password).err.find("WARNING") == std::string::npos);
}
