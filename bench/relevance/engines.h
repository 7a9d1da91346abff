// The engines the relevance benchmark compares, and what each returns for one query.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace nexuskb::relevance {

enum class Engine { kNexuskb, kFts5, kOrama };

// Every engine, in report order (nexuskb first, then the baselines).
inline constexpr std::array kEngines{Engine::kNexuskb, Engine::kFts5, Engine::kOrama};
inline constexpr std::array kBaselines{Engine::kFts5, Engine::kOrama};

inline constexpr std::size_t index_of(Engine e) {
  return static_cast<std::size_t>(e);
}

// JSON key ("nexuskb", "fts5", "orama") and the name printed in reports.
inline const char* engine_key(Engine e) {
  switch (e) {
    case Engine::kNexuskb:
      return "nexuskb";
    case Engine::kFts5:
      return "fts5";
    case Engine::kOrama:
      return "orama";
  }
  return "?";
}
inline const char* engine_label(Engine e) {
  switch (e) {
    case Engine::kNexuskb:
      return "nexuskb";
    case Engine::kFts5:
      return "SQLite FTS5";
    case Engine::kOrama:
      return "Orama";
  }
  return "?";
}

// One result row as an engine returns it: an item's version and the engine's own score (Xapian
// weight, SQLite bm25 where lower is better, Orama score).
struct Hit {
  std::string id, lang;
  double score = 0;
};

}  // namespace nexuskb::relevance
