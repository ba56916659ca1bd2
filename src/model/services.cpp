#include "model/services.h"

#include <algorithm>
#include <array>
#include <utility>

namespace relaymon::model {

namespace {

// Sorted by port. The ports of tor's ReducedExitPolicy and the usual
// suspects of the default policy's reject list.
constexpr std::array<std::pair<std::uint16_t, std::string_view>, 58> kServices{{
    {20, "ftp-data"},      {21, "ftp"},           {22, "ssh"},
    {23, "telnet"},        {25, "smtp"},          {43, "whois"},
    {53, "domain"},        {79, "finger"},        {80, "http"},
    {88, "kerberos"},      {110, "pop3"},         {119, "nntp"},
    {123, "ntp"},          {135, "epmap"},        {137, "netbios-ns"},
    {138, "netbios-dgm"},  {139, "netbios-ssn"},  {143, "imap"},
    {194, "irc"},          {220, "imap3"},        {389, "ldap"},
    {443, "https"},        {445, "microsoft-ds"}, {464, "kpasswd"},
    {465, "submissions"},  {531, "conference"},   {543, "klogin"},
    {544, "kshell"},       {554, "rtsp"},         {563, "nntps"},
    {587, "submission"},   {636, "ldaps"},        {706, "silc"},
    {749, "kerberos-adm"}, {853, "domain-s"},     {873, "rsync"},
    {902, "vmware"},       {989, "ftps-data"},    {990, "ftps"},
    {991, "nas"},          {992, "telnets"},      {993, "imaps"},
    {994, "ircs"},         {995, "pop3s"},        {1194, "openvpn"},
    {1214, "kazaa"},       {1723, "pptp"},        {1863, "msnp"},
    {3128, "squid"},       {3306, "mysql"},       {3389, "ms-wbt-server"},
    {5222, "xmpp-client"}, {5269, "xmpp-server"}, {5432, "postgresql"},
    {6667, "ircd"},        {6697, "ircs-u"},      {8080, "http-alt"},
    {8443, "https-alt"},
}};

}  // namespace

std::string_view service_name(std::uint16_t port) {
  auto it = std::lower_bound(kServices.begin(), kServices.end(), port,
                             [](const auto& e, std::uint16_t p) { return e.first < p; });
  return it != kServices.end() && it->first == port ? it->second : std::string_view{};
}

}  // namespace relaymon::model
