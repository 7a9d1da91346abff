// The health of each remote shard (a xapian-tcpsrv named by a `remote HOST:PORT` stub line), as
// the server's watcher thread probes it, for /metrics and for naming the shard in a 503.
//
// Thread safety: every method may be called from any thread; probe() does its network work
// outside the lock, so readers never wait for a slow shard.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <xapian.h>

namespace nexuskb {

class ShardHealth {
 public:
  struct State {
    bool up = true;
    double probe_seconds = 0;       // how long the last probe took (failed ones included)
    unsigned long long errors = 0;  // failed probes and failed searches, since start-up
    std::string last_error;         // empty while up
  };

  // Probes every shard in `shards` ("host:port"), one after the other: opens a fresh connection
  // with search_options::kShardProbeTimeoutMs and asks for its document count. Shards no longer
  // listed are forgotten. At most about 2 x kShardProbeTimeoutMs per shard that does not answer.
  void probe(const std::vector<std::string>& shards);

  // A search failed on `shard` (a Xapian::NetworkError naming it): counted as an error, and the
  // shard is down until a probe finds it answering again.
  void record_failure(const std::string& shard, const std::string& error);

  // The shards the last probes or searches found down.
  std::vector<std::string> down() const;
  std::map<std::string, State> states() const;

  // Prometheus text: nexuskb_shard_up, nexuskb_shard_probe_seconds, nexuskb_shard_errors_total,
  // each labelled {shard="host:port"}; empty when no shard is remote.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, State> states_;
};

// The remote shard ("host:port") a Xapian error names in its context ("remote:tcp(host:port)"),
// or empty when it names none.
std::string shard_of(const Xapian::Error& error);

}  // namespace nexuskb
