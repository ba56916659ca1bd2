// The small tor values the classifier reads: net/listeners/*,
// orconn-status, ORCONN targets, resolv.conf, ADDR:PORT; and tor's manual
// page (the config page's descriptions).
#include "fuzz_input.h"
#include "model/tor_inputs.h"
#include "model/tor_manual.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::model;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  (void)parse_listeners("or", text);
  (void)parse_orconn_status(text);
  (void)parse_orconn_target(text);
  (void)parse_resolv_conf(text);
  (void)parse_ip_port(text);
  (void)IpAddr::parse(text);
  (void)parse_tor_manual(text);
  (void)roff_to_text(text);
  return 0;
}
