// The target check and the Markdown rendering of the relevance benchmark.
#include "bench/relevance/report.h"

#include <cstdio>
#include <sstream>

namespace nexuskb::relevance {
namespace {

std::string fixed(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pct(double v) {
  return fixed(100 * v, 0) + "%";
}

// Markdown table cell: no pipes or newlines.
std::string cell(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '/';
    if (c == '\n') c = ' ';
  }
  return s;
}

std::string rank_text(int r) {
  return r == 0 ? "—" : std::to_string(r);
}

std::string filters_text(const JudgedQuery& q) {
  std::string out;
  for (const auto& [facet, values] : q.filters) {
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + facet + "=" + v;
  }
  return out;
}

// One row of measures, the columns of the summary and breakdown tables.
struct Measure {
  const char* name;
  std::string (*text)(const Aggregate&);
};
const Measure kMeasures[] = {
    {"MRR@10", [](const Aggregate& a) { return fixed(a.mrr); }},
    {"nDCG@10", [](const Aggregate& a) { return fixed(a.ndcg); }},
    {"recall@10", [](const Aggregate& a) { return fixed(a.recall); }},
    {"success@3", [](const Aggregate& a) { return pct(a.success3); }},
    {"pass@3", [](const Aggregate& a) { return pct(a.pass3); }},
    {"distinct items in top 10", [](const Aggregate& a) { return fixed(a.distinct_top10, 1); }},
};

}  // namespace

bool Slice::contains(const JudgedQuery& q) const {
  switch (by) {
    case By::kUserGroup:
      return q.who == value;
    case By::kQueryLanguage:
      return q.query_lang == value;
  }
  return false;
}

std::vector<Slice> user_group_slices() {
  std::vector<Slice> out;
  for (const auto& g : kUserGroups) out.push_back({Slice::By::kUserGroup, g});
  return out;
}

std::vector<Slice> query_language_slices() {
  std::vector<Slice> out;
  for (const auto& l : kQueryLanguages) out.push_back({Slice::By::kQueryLanguage, l});
  return out;
}

std::string Target::text() const {
  return "nexuskb nDCG@10 ≥ " + fixed(ndcg, 2) + ", recall@10 ≥ " + fixed(recall, 2) +
         ", MRR@10 ≥ " + fixed(mrr, 2) +
         " overall, and ahead of both baselines (SQLite FTS5 and Orama) on nDCG@10 in every "
         "query language and every user group";
}

std::vector<std::string> Report::target_misses() const {
  std::vector<std::string> out;
  const Aggregate ours = overall(Engine::kNexuskb);
  auto at_least = [&](const char* name, double value, double wanted) {
    if (value < wanted)
      out.push_back(std::string(name) + " " + fixed(value) + " < " + fixed(wanted, 2));
  };
  at_least("nDCG@10", ours.ndcg, target.ndcg);
  at_least("recall@10", ours.recall, target.recall);
  at_least("MRR@10", ours.mrr, target.mrr);
  for (Engine b : kBaselines) {
    if (!ran(b)) {
      out.push_back(std::string(engine_label(b)) +
                    " did not run, so nexuskb cannot be shown ahead of it");
      continue;
    }
    for (const auto& slices : {user_group_slices(), query_language_slices()}) {
      for (const Slice& s : slices) {
        const Aggregate o = in(Engine::kNexuskb, s), x = in(b, s);
        if (o.queries == 0 || o.ndcg > x.ndcg + 1e-12) continue;
        out.push_back("not ahead of " + std::string(engine_label(b)) + " on nDCG@10 for " +
                      s.value + " (" + fixed(o.ndcg) + " vs " + fixed(x.ndcg) + ")");
      }
    }
  }
  return out;
}

std::string Report::to_markdown() const {
  std::ostringstream md;
  md << "# Relevance benchmark: nexuskb vs SQLite FTS5 and Orama\n\n";
  md << "- Date: " << date << "\n- Revision: `" << revision << "`\n";
  md << "- Corpus: `" << content_dir << "`, " << items << " items, " << documents
     << " (item, language) documents; index built " << index_built_at << "\n";
  md << "- Queries: `" << queries_file << "`, " << results.size()
     << " judged queries (relevance judged by reading content/, not from engine output)\n";
  md << "- Ranking unit: the item id. Each engine's results are reduced to distinct items (the "
        "best-ranked language version stands for the item); the measures read the first "
     << kCutoff << " distinct items\n\n";

  md << "## Engines\n\n";
  md << "- **nexuskb**: `SearchService::search` (the ranking `nexuskb-serve` returns) on a fresh "
        "index of the same content, with each query's filters validated as the API does\n";
  md << "- **SQLite FTS5**: one row per (item, language) with title, summary and body, "
        "`tokenize='porter unicode61 remove_diacritics 2'`, `bm25()` weights "
     << fts_weights.label()
     << "; the query's words OR-ed (quoted phrases stay phrases); filters as SQL WHERE\n";
  if (ran(Engine::kOrama)) {
    md << "- **Orama** " << orama_version << " on Node.js " << node_version
       << ": one database per language (Orama's english, french and arabic tokenizers with "
          "`@orama/stemmers` and `@orama/stopwords`), title, summary and body with boosts "
          "title 2, summary 1.5; otherwise Orama's defaults (any word matches, words match as "
          "prefixes); no phrase operator, so quoted words are searched as words; filters as "
          "`where` clauses, `lang` picks the databases; each query runs in every language "
          "database and the hits are merged by score\n\n";
  } else {
    md << "- **Orama: not run**: " << orama_unavailable
       << ". `NEXUSKB_BENCH=1 scripts/bootstrap` installs Node.js (when missing) and the npm "
          "packages of `bench/relevance/orama`; its columns below read n/a\n\n";
  }

  md << "## Target\n\n"
     << "Target (issue 11): " << target.text() << ".\n\n";
  const std::vector<std::string> misses = target_misses();
  md << "**" << (misses.empty() ? "Target met" : "Target NOT met") << "**"
     << (misses.empty() ? ".\n\n" : ":\n\n");
  for (const auto& m : misses) md << "- " << m << "\n";
  if (!misses.empty()) md << "\n";

  auto engine_text = [&](Engine e, const Aggregate& a, const Measure& m) {
    return ran(e) ? m.text(a) : std::string("n/a");
  };
  md << "## Summary\n\n| measure |";
  for (Engine e : kEngines) md << " " << engine_label(e) << " |";
  md << "\n|---|";
  for (size_t i = 0; i < kEngines.size(); ++i) md << "---:|";
  md << "\n";
  for (const Measure& m : kMeasures) {
    md << "| " << m.name << " |";
    for (Engine e : kEngines) md << " " << engine_text(e, overall(e), m) << " |";
    md << "\n";
  }
  md << "\nsuccess@3: a relevant item in the top 3; pass@3: every relevant item in the top 3; "
        "recall@10: share of the judged items (relevant and also relevant) in the top 10; "
        "distinct items in top 10: distinct items among the first 10 results as the engine "
        "returns them (translations of one item shown twice count once).\n\n";

  auto breakdown = [&](const std::string& title, const char* key,
                       const std::vector<Slice>& slices) {
    md << "## " << title << "\n\n| " << key << " | engine | queries |";
    for (const Measure& m : kMeasures) md << " " << m.name << " |";
    md << "\n|---|---|---:|";
    for (size_t i = 0; i < std::size(kMeasures); ++i) md << "---:|";
    md << "\n";
    for (const Slice& s : slices) {
      for (Engine e : kEngines) {
        const Aggregate a = in(e, s);
        if (a.queries == 0) continue;
        md << "| " << (e == kEngines.front() ? s.value : "") << " | " << engine_label(e) << " | "
           << a.queries << " |";
        for (const Measure& m : kMeasures) md << " " << engine_text(e, a, m) << " |";
        md << "\n";
      }
    }
    md << "\n";
  };
  breakdown("By user group", "who", user_group_slices());
  breakdown("By query language", "language", query_language_slices());

  if (!sensitivity.empty()) {
    md << "## SQLite FTS5 column weights (sensitivity)\n\n";
    md << "The baseline is not tuned against the judgements; other weights for comparison:\n\n";
    md << "| bm25 weights | MRR@10 | nDCG@10 | recall@10 | success@3 | pass@3 |\n"
          "|---|---:|---:|---:|---:|---:|\n";
    for (const auto& row : sensitivity) {
      md << "| " << row.weights.label() << " | " << fixed(row.all.mrr) << " | "
         << fixed(row.all.ndcg) << " | " << fixed(row.all.recall) << " | " << pct(row.all.success3)
         << " | " << pct(row.all.pass3) << " |\n";
    }
    md << "\n";
  }

  auto rank_in = [&](const QueryResult& r, Engine e, size_t i) {
    return ran(e) ? rank_text(r.run(e).scores.relevant_ranks[i]) : std::string("n/a");
  };
  md << "## Queries where nexuskb misses the requirement (a relevant item outside the top 3)\n\n";
  int missed = 0;
  for (const auto& r : results) {
    const EngineRun& ours = r.run(Engine::kNexuskb);
    if (ours.scores.pass3) continue;
    ++missed;
    const auto& q = r.query;
    md << "### " << q.id << " (" << q.who << "): `" << cell(q.query) << "`";
    if (!q.filters.empty()) md << " with " << filters_text(q);
    md << "\n\n- relevant: ";
    for (size_t i = 0; i < q.relevant.size(); ++i) {
      md << (i ? ", " : "") << "`" << q.relevant[i] << "` at nexuskb rank "
         << rank_text(ours.scores.relevant_ranks[i]) << " (FTS5 " << rank_in(r, Engine::kFts5, i)
         << ", Orama " << rank_in(r, Engine::kOrama, i) << ")";
    }
    md << "\n";
    if (!ours.notes.empty()) {
      md << "- nexuskb notes: ";
      for (size_t i = 0; i < ours.notes.size(); ++i) md << (i ? "; " : "") << ours.notes[i];
      md << "\n";
    }
    md << "- nexuskb top 5 (grade: 2 relevant, 1 also relevant, 0 not judged relevant):\n";
    for (size_t i = 0; i < ours.top.size() && i < 5; ++i) {
      const auto& t = ours.top[i];
      md << "  " << i + 1 << ". `" << t.id << "` (" << t.lang << ", grade " << q.grade(t.id)
         << ", weight " << fixed(t.score, 2) << ") " << cell(t.title) << "\n";
    }
    md << "\n";
  }
  if (missed == 0) md << "None.\n\n";

  md << "## Every query\n\n";
  md << "Rank of the first relevant item (— = not in the results) and nDCG@10, per engine "
        "(nexuskb / FTS5 / Orama).\n\n";
  md << "| id | who | query | filters | first relevant rank | nDCG@10 | nexuskb recall@10 | "
        "nexuskb pass@3 |\n|---|---|---|---|---|---|---:|---|\n";
  for (const auto& r : results) {
    const auto& q = r.query;
    std::string ranks, ndcgs;
    for (Engine e : kEngines) {
      const auto& s = r.run(e).scores;
      ranks += (ranks.empty() ? "" : " / ") + (ran(e) ? rank_text(s.first_rank) : "n/a");
      ndcgs += (ndcgs.empty() ? "" : " / ") + (ran(e) ? fixed(s.ndcg, 2) : "n/a");
    }
    const auto& ours = r.run(Engine::kNexuskb).scores;
    md << "| " << q.id << " | " << q.who << " | `" << cell(q.query) << "` | "
       << cell(filters_text(q)) << " | " << ranks << " | " << ndcgs << " | "
       << fixed(ours.recall, 2) << " | " << (ours.pass3 ? "yes" : "**no**") << " |\n";
  }
  md << "\nRegenerate with `make bench-relevance` (see bench/relevance/README.md).\n";
  return md.str();
}

}  // namespace nexuskb::relevance
