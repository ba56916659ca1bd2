// The one owner of tor's event subscription for a relay session (issue 10).
// tor replaces the whole set on every SETEVENTS, and one name it does not
// know fails the whole command, so every wish goes through here: relaymon's
// own events, and what others ask for by owner ("log" for the log page's
// chosen events, "interpreter" for SETEVENTS typed there, "watch" for
// --events). The union is sent as one SETEVENTS, on connect (after
// events/names is known) and whenever a wish changes; names tor does not
// know are refused here, before they could fail the subscription.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace relaymon::session {

class EventSubscription {
 public:
  explicit EventSubscription(std::vector<std::string> own = {});

  // tor's events/names (space-separated); until it is known every name is
  // taken on trust.
  void set_known(std::string_view events_names);
  bool known() const { return !known_.empty(); }

  // Replaces `owner`'s wish (names upper-cased). Returns the names tor does
  // not know, as far as events/names is known yet (see unknown()).
  std::vector<std::string> want(const std::string& owner, const std::vector<std::string>& events);
  // The names in `owner`'s wish that tor does not know, left out of all().
  // Asked again once the SETEVENTS is answered: a wish made before
  // events/names arrived is taken on trust until then.
  std::vector<std::string> unknown(const std::string& owner) const;

  // The union to send: relaymon's own and every owner's, known to tor, sorted.
  std::vector<std::string> all() const;
  // Whether `owner` asked for this event (to route events to their owner).
  bool wanted_by(const std::string& owner, std::string_view event) const;

 private:
  bool acceptable(const std::string& event) const;

  std::vector<std::string> own_;
  std::map<std::string, std::set<std::string, std::less<>>> wishes_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace relaymon::session
