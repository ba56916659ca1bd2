#include "analysis/alerts.h"

#include "text/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace relaymon::analysis {

namespace {

constexpr std::size_t kMaxCleared = 100;
constexpr std::size_t kMaxIncidentKeys = 4096;  // tor-warnings makes a subject per message

bool parse_number(std::string_view text, double& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

using text::lower;

}  // namespace

double RuleSettings::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? 0 : it->second;
}

const RuleSettings* AlertConfig::find(std::string_view id) const {
  auto it = rules.find(id);
  return it == rules.end() ? nullptr : &it->second;
}

std::string AlertConfig::set(std::string_view key, std::string_view value) {
  if (key.substr(0, 6) != "alert.") return fmt::format("\"{}\" is not an alert key", key);
  std::string_view rest = key.substr(6);
  auto dot = rest.rfind('.');
  if (dot == std::string_view::npos) {
    return fmt::format("\"{}\": expected alert.<rule-id>.<setting>", key);
  }
  std::string_view id = rest.substr(0, dot);
  std::string_view name = rest.substr(dot + 1);
  auto it = rules.find(id);
  if (it == rules.end()) return fmt::format("unknown alert rule \"{}\"", id);
  double number = 0;
  if (!parse_number(value, number) || number < 0) {
    return fmt::format("{} \"{}\": expected a number >= 0", key, value);
  }
  RuleSettings& s = it->second;
  if (name == "enabled") {
    if (number != 0 && number != 1) return fmt::format("{} \"{}\": expected 0 or 1", key, value);
    s.enabled = number == 1;
  } else if (name == "hold") {
    s.hold = number;
  } else if (name == "clear") {
    s.clear = number;
  } else if (auto p = s.params.find(name); p != s.params.end()) {
    p->second = number;
  } else {
    std::string known = "enabled, hold, clear";
    for (const auto& [n, v] : s.params) known += ", " + n;
    return fmt::format("alert rule \"{}\" has no setting \"{}\" (known: {})", id, name, known);
  }
  return "";
}

std::vector<AlertChange> Engine::evaluate(const model::Snapshot& snapshot, TimePoint now,
                                          bool one_shot) {
  return round(snapshot, now, one_shot, false);
}

std::vector<AlertChange> Engine::evaluate_disconnected(const model::Snapshot& snapshot,
                                                       TimePoint now, bool immediate) {
  return round(snapshot, now, immediate, true);
}

std::vector<AlertChange> Engine::round(const model::Snapshot& snapshot, TimePoint now,
                                       bool one_shot, bool disconnected) {
  std::vector<AlertChange> changes;
  std::set<std::pair<std::string, std::string>> seen;
  for (const Rule& rule : rules()) {
    if (disconnected && !judges_the_connection(rule.id)) continue;
    const RuleSettings* settings = config_.find(rule.id);
    if (settings == nullptr || !settings->enabled) continue;
    std::string id(rule.id);
    RuleMemory& memory = memory_[id];
    RuleContext context{snapshot, *settings, memory, now, [this, &id](std::string_view subject) {
                          auto it = tracked_.find({id, std::string(subject)});
                          return it != tracked_.end() && it->second.raised;
                        }};
    // Subjects this rule tracks now. A rule tracks at most
    // kMaxSubjectsPerRule at once: tor-warnings makes one subject per
    // distinct message and keeps it for its clear time (600 s), so a tor
    // logging a new message every millisecond would otherwise grow memory
    // without bound (tests/soak). Further subjects share one overflow alert.
    std::size_t subjects = 0;
    for (auto it = tracked_.lower_bound({id, std::string()});
         it != tracked_.end() && it->first.first == id; ++it) {
      ++subjects;
    }
    for (Finding& f : rule.evaluate(context)) {
      if (subjects >= kMaxSubjectsPerRule && !tracked_.count({id, f.subject})) {
        f.subject = kOverflowSubject;
        f.evidence = {{"note", fmt::format("more than {} subjects at once; relaymon tracks the "
                                           "first {} and counts the rest here",
                                           kMaxSubjectsPerRule, kMaxSubjectsPerRule)}};
      }
      auto key = std::make_pair(id, f.subject);
      if (!seen.insert(key).second) continue;  // one finding per subject per round
      auto [it, inserted] = tracked_.try_emplace(key);
      Tracked& t = it->second;
      if (inserted) {
        ++subjects;
        t.pending_since = now;
        t.alert.id = id;
        t.alert.subject = f.subject;
        t.alert.count = 0;
      }
      t.last_true = now;
      t.alert.severity = f.severity;
      t.alert.evidence = std::move(f.evidence);
      t.alert.explanation = std::move(f.explanation);
      t.alert.action = std::move(f.action);
      t.alert.last_seen = now;
      t.alert.count += f.occurrences;
      if (!t.raised && (one_shot || Seconds(now - t.pending_since).count() >= settings->hold)) {
        if (f.occurrences == 0) {
          // A state: count this incident, not the polls that saw it.
          if (incidents_.size() >= kMaxIncidentKeys && !incidents_.count(key)) incidents_.clear();
          t.alert.count = ++incidents_[key];
        }
        t.raised = true;
        t.alert.active = true;
        t.alert.first_seen = t.pending_since;
        changes.push_back({AlertChange::Kind::kRaised, t.alert});
      }
    }
  }
  for (auto it = tracked_.begin(); it != tracked_.end();) {
    // While tor is away the other rules did not run: their absence says
    // nothing, so their alerts stay as they were.
    if (seen.count(it->first) || (disconnected && !judges_the_connection(it->first.first))) {
      ++it;
      continue;
    }
    const RuleSettings* settings = config_.find(it->first.first);
    bool disabled = settings == nullptr || !settings->enabled;
    Tracked& t = it->second;
    if (!t.raised) {
      it = tracked_.erase(it);  // broke before its hold time: never raised
      continue;
    }
    if (disabled || one_shot || Seconds(now - t.last_true).count() >= settings->clear) {
      t.alert.active = false;
      // The evidence was what held while the alert was active: a cleared
      // line must not show numbers above the threshold as if they still were.
      t.alert.evidence = {
          {"cleared", disabled ? std::string("rule disabled")
                               : fmt::format("not seen for {:.0f} s (the rule's clear time)",
                                             Seconds(now - t.last_true).count())}};
      changes.push_back({AlertChange::Kind::kCleared, t.alert});
      cleared_.push_back(t.alert);
      if (cleared_.size() > kMaxCleared) cleared_.erase(cleared_.begin());
      it = tracked_.erase(it);
      continue;
    }
    ++it;
  }
  return changes;
}

std::vector<model::Alert> Engine::alerts() const {
  std::vector<model::Alert> out;
  for (const auto& [key, t] : tracked_) {
    if (t.raised) out.push_back(t.alert);
  }
  std::stable_sort(out.begin(), out.end(), [](const model::Alert& a, const model::Alert& b) {
    return a.severity > b.severity;
  });
  for (auto it = cleared_.rbegin(); it != cleared_.rend(); ++it) out.push_back(*it);
  return out;
}

std::string_view log_severity(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "NOTICE";
    case Severity::kWarning:
      return "WARN";
    case Severity::kCritical:
      return "ERR";
  }
  return "WARN";
}

std::string log_line(const AlertChange& change) {
  const model::Alert& a = change.alert;
  bool raised = change.kind == AlertChange::Kind::kRaised;
  std::string evidence;
  for (const auto& [k, v] : a.evidence)
    evidence += fmt::format("{}{}={}", evidence.empty() ? "" : " ", k, v);
  // No prefix of its own: the log entry's severity and source say the rest
  // ("12:03:45 [WARN] relaymon: alert ... raised: ...").
  return fmt::format("alert {} {}: {}{}{}", a.id, raised ? "raised" : "cleared", a.subject,
                     evidence.empty() ? "" : " — ", evidence);
}

}  // namespace relaymon::analysis
