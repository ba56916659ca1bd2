// The connections page: every classified socket of tor, its circuits, and
// summaries of exit ports and client countries; Enter opens a plain-language
// explanation of the selected connection.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

enum class ConnSort { kCategory, kAge, kRate, kBytes, kCountry, kRelay, kState };
std::string_view to_string(ConnSort sort);

enum class ConnMode { kList, kCircuits, kSummary };

struct ConnectionsView {
  ConnSort sort = ConnSort::kCategory;
  bool descending = false;
  std::optional<model::Category> filter;  // show one category only
  ConnMode mode = ConnMode::kList;
  ui::ListCursor cursor;  // over the visible list (or the circuits)
  bool details = false;
};

// The connections the view lists, filtered and sorted. Only the first
// `sorted` are put in order (the rest follow in no particular order): a
// frame shows a screenful, and a full sort of 30,000 connections every
// second was most of the page's cost. The order is total (ties end on the
// connection's place in the snapshot), so any prefix is the same as the
// full sort's.
std::vector<const model::Connection*> visible_connections(
    const model::Snapshot& snapshot, const ConnectionsView& view,
    std::size_t sorted = static_cast<std::size_t>(-1));

void draw_connections(const model::Snapshot& snapshot, const ConnectionsView& view,
                      ui::Canvas& canvas);
void layout_connections(const model::Snapshot& snapshot, ConnectionsView& view, int width,
                        int height);

// Parts of the page, also used on their own.
void draw_connection_details(const model::Snapshot& snapshot, const model::Connection& connection,
                             ui::Canvas& canvas);
// The consensus entry of a relay (by fingerprint): from the snapshot's
// peer_relays, else its consensus index; nullopt when neither lists it.
std::optional<model::ConsensusEntry> find_peer_relay(const model::Snapshot& snapshot,
                                                     std::string_view fingerprint);
// Draws "Consensus entry:" and the entry below it, indented; returns the rows used.
int draw_consensus_entry(const model::ConsensusEntry& entry, ui::Canvas& canvas);
// Each hop's role in a circuit: "guard", "middle", and for the last hop
// what its purpose makes it ("exit", "rend", "intro", "hsdir", "last").
std::vector<std::string> hop_roles(const model::Circuit& circuit);
// The circuits (Enter: the selected one's details, its hops with roles).
void draw_circuits(const model::Snapshot& snapshot, const ConnectionsView& view,
                   ui::Canvas& canvas);
void draw_connection_summary(const model::Snapshot& snapshot, ui::Canvas& canvas);

const std::vector<ui::Action>& connections_actions();
Outcome handle_connections_key(const model::Snapshot& snapshot, ConnectionsView& view, int key);

}  // namespace relaymon::panels
