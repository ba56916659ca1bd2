// Plain-language explanations for newcomers: what each kind of connection
// is, and why relaymon hides some addresses.
#pragma once

#include <string>
#include <string_view>

#include "model/snapshot.h"

namespace relaymon::panels {

// A short label for lists ("client", "relay", "exit", ...).
std::string_view category_label(model::Category category);
// One or two sentences: what this connection is.
std::string_view category_explanation(model::Category category);
// Why the address is hidden (or why showing it is fine).
std::string_view address_explanation(model::Category category);
// What an unusual socket state means here ("" for ESTAB and the like).
std::string state_explanation(const model::Connection& connection);
// True for the categories whose remote address must never be shown: a
// client's address or an exit's destination identifies a Tor user.
bool hides_address(model::Category category);

// The remote end as it may be shown: for hidden categories only the
// country (clients) or destination port and service (exits), or the
// private range the model put there; never an address.
std::string shown_remote(const model::Connection& connection);
// The country as it may be shown: a client's, a relay's; never an exit
// destination's (only its port is shown).
std::string shown_country(const model::Connection& connection);

}  // namespace relaymon::panels
