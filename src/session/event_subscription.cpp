#include "session/event_subscription.h"

#include "text/text.h"

namespace relaymon::session {

EventSubscription::EventSubscription(std::vector<std::string> own) : own_(std::move(own)) {}

void EventSubscription::set_known(std::string_view events_names) {
  known_.clear();
  for (auto& name : text::split_words(events_names)) known_.insert(std::move(name));
}

bool EventSubscription::acceptable(const std::string& event) const {
  return known_.empty() || known_.count(event) > 0;
}

std::vector<std::string> EventSubscription::want(const std::string& owner,
                                                 const std::vector<std::string>& events) {
  auto& wish = wishes_[owner];
  wish.clear();
  for (const auto& e : events) wish.insert(text::upper(e));
  return unknown(owner);
}

std::vector<std::string> EventSubscription::unknown(const std::string& owner) const {
  std::vector<std::string> refused;
  auto it = wishes_.find(owner);
  if (it == wishes_.end()) return refused;
  for (const auto& e : it->second) {
    if (!acceptable(e)) refused.push_back(e);
  }
  return refused;
}

std::vector<std::string> EventSubscription::all() const {
  std::set<std::string> all;
  for (const auto& e : own_) {
    if (acceptable(e)) all.insert(e);
  }
  for (const auto& [owner, wish] : wishes_) {
    for (const auto& e : wish) {
      if (acceptable(e)) all.insert(e);
    }
  }
  return {all.begin(), all.end()};
}

bool EventSubscription::wanted_by(const std::string& owner, std::string_view event) const {
  auto it = wishes_.find(owner);
  return it != wishes_.end() && it->second.count(event) > 0;
}

}  // namespace relaymon::session
