// Probing remote shards and exposing their state.
#include "server/shard_health.h"

#include <chrono>
#include <sstream>

#include "server/search_options.h"

namespace nexuskb {
namespace {

// Opens `shard` afresh and counts its documents; the error's description when it fails.
std::string probe_one(const std::string& shard) {
  const auto colon = shard.rfind(':');
  std::string host = shard.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  try {
    Xapian::Database db = Xapian::Remote::open(
        host, static_cast<unsigned>(std::stoul(shard.substr(colon + 1))),
        search_options::kShardProbeTimeoutMs, search_options::kShardProbeTimeoutMs);
    db.get_doccount();
    return {};
  } catch (const Xapian::Error& e) {
    return e.get_description();
  }
}

}  // namespace

void ShardHealth::probe(const std::vector<std::string>& shards) {
  std::map<std::string, State> fresh;
  for (const std::string& shard : shards) {
    const auto started = std::chrono::steady_clock::now();
    const std::string error = probe_one(shard);
    State& s = fresh[shard];
    s.up = error.empty();
    s.last_error = error;
    s.probe_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  std::lock_guard lock(mutex_);
  for (auto& [shard, s] : fresh) {
    if (auto old = states_.find(shard); old != states_.end()) s.errors = old->second.errors;
    if (!s.up) ++s.errors;
  }
  states_ = std::move(fresh);
}

void ShardHealth::record_failure(const std::string& shard, const std::string& error) {
  std::lock_guard lock(mutex_);
  State& s = states_[shard];
  s.up = false;
  s.last_error = error;
  ++s.errors;
}

std::vector<std::string> ShardHealth::down() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [shard, s] : states_) {
    if (!s.up) out.push_back(shard);
  }
  return out;
}

std::map<std::string, ShardHealth::State> ShardHealth::states() const {
  std::lock_guard lock(mutex_);
  return states_;
}

std::string ShardHealth::render() const {
  const auto states = this->states();
  if (states.empty()) return {};
  std::ostringstream up, seconds, errors;
  up << "# HELP nexuskb_shard_up Whether the last probe of a remote shard succeeded.\n"
        "# TYPE nexuskb_shard_up gauge\n";
  seconds << "# HELP nexuskb_shard_probe_seconds How long the last probe of a remote shard took.\n"
             "# TYPE nexuskb_shard_probe_seconds gauge\n";
  errors << "# HELP nexuskb_shard_errors_total Failed probes and searches per remote shard.\n"
            "# TYPE nexuskb_shard_errors_total counter\n";
  for (const auto& [shard, s] : states) {
    const std::string label = "{shard=\"" + shard + "\"} ";
    up << "nexuskb_shard_up" << label << (s.up ? 1 : 0) << "\n";
    seconds << "nexuskb_shard_probe_seconds" << label << s.probe_seconds << "\n";
    errors << "nexuskb_shard_errors_total" << label << s.errors << "\n";
  }
  return up.str() + seconds.str() + errors.str();
}

std::string shard_of(const Xapian::Error& error) {
  // Xapian's remote backend sets the context "remote:tcp(HOST:PORT)".
  const std::string context = error.get_context();
  const std::string marker = "remote:tcp(";
  const auto start = context.find(marker);
  if (start == std::string::npos) return {};
  const auto end = context.find(')', start);
  if (end == std::string::npos) return {};
  return context.substr(start + marker.size(), end - start - marker.size());
}

}  // namespace nexuskb
