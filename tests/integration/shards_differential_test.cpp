// The differential test of sharding: requests generated from a fixed seed over the whole
// parameter space, each answered by one index, by local shards and by two remote xapian-tcpsrv
// shards, must get identical answers (totals, tiers, hits and their passages, every facet count,
// the did-you-mean). A failure prints the request as a URL.
#include <cctype>
#include <cmath>
#include <cstring>
#include <iostream>
#include <random>

#include <gtest/gtest.h>

#include "server/html_pages.h"
#include "server/json_render.h"
#include "server/search_service.h"
#include "tests/integration/remote_shards.h"

namespace nexuskb {
namespace {

using testing::XapianTcpsrv;
namespace fs = std::filesystem;

constexpr uint32_t kSeed = 20261201;
constexpr int kRequests = 600;

// A generated request: URL parameters and the reader's Accept-Language.
struct Generated {
  QueryParams params;
  std::string accept_language;
};

std::string url_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string to_url(const Generated& g) {
  std::string url = "/api/v1/search";
  char sep = '?';
  for (const auto& [key, value] : g.params) {
    url += sep + key + "=" + url_encode(value);
    sep = '&';
  }
  return url;
}

std::string describe(const Generated& g) {
  return to_url(g) + "  (Accept-Language: " + g.accept_language + ")";
}

// What requests are drawn from: the words of the corpus (its spelling dictionary), two-word
// phrases from its titles, and the facet values it uses.
struct Vocabulary {
  std::vector<std::string> words, phrases;
  std::vector<std::pair<std::string, std::vector<std::string>>> facets;  // lang apart
  std::vector<std::string> langs;
};

Vocabulary vocabulary(IndexHandle& index) {
  Vocabulary v;
  const IndexView view = index.open();
  for (auto t = view.terms.spellings_begin(); t != view.terms.spellings_end(); ++t) {
    if (t.get_termfreq() >= 2 && (*t).size() >= 3) v.words.push_back(*t);
  }
  for (const TitleEntry& t : view.snapshot->titles) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : t.title + " ") {
      if (c == ' ') {
        if (!word.empty()) words.push_back(word);
        word.clear();
      } else if (!std::strchr("\"():,;.!?[]{}*+-", c)) {
        word += c;
      }
    }
    for (size_t i = 0; i + 1 < words.size(); i += 2)
      v.phrases.push_back(words[i] + " " + words[i + 1]);
  }
  SearchRequest everything;
  for (const FacetResult& f : SearchService(index).search(everything).facets) {
    std::vector<std::string> used;
    for (const FacetCount& c : f.values) {
      if (c.count > 0) used.push_back(c.value);
    }
    if (f.name == "lang") {
      v.langs = used;
    } else if (!used.empty()) {
      v.facets.emplace_back(f.name, used);
    }
  }
  return v;
}

// Draws requests; deterministic for a seed and a corpus (std::mt19937 is specified exactly; the
// draws use only its raw output, not the library's distributions, which are not).
class RequestGenerator {
 public:
  RequestGenerator(const Vocabulary& v, uint32_t seed) : v_(v), rng_(seed) {}

  Generated next() {
    Generated g;
    if (const std::string q = text(); !q.empty()) g.params.emplace("q", q);
    std::vector<size_t> facets(v_.facets.size());
    for (size_t i = 0; i < facets.size(); ++i) facets[i] = i;
    const int wanted = pick({40, 30, 20, 10});  // 0..3 facets
    for (int n = 0; n < wanted; ++n) {
      const size_t k = below(facets.size() - n) + n;
      std::swap(facets[n], facets[k]);
      add_values(g, v_.facets[facets[n]].first, v_.facets[facets[n]].second);
    }
    if (below(100) < 30) add_values(g, "lang", v_.langs);
    if (below(2)) g.params.emplace("sort", "number");
    if (const int page = 1 + static_cast<int>(below(3)); page > 1) {
      g.params.emplace("page", std::to_string(page));
    }
    const int per_page =
        below(2) ? 1 + static_cast<int>(below(10)) : 1 + static_cast<int>(below(100));
    if (per_page != 10) g.params.emplace("per_page", std::to_string(per_page));
    static const char* kAccept[] = {"en", "fr", "ar", "fr-FR,fr;q=0.9,en;q=0.8"};
    g.accept_language = kAccept[below(4)];
    return g;
  }

 private:
  uint32_t below(size_t n) { return n ? static_cast<uint32_t>(rng_() % n) : 0; }
  // An index drawn with the given weights.
  int pick(std::initializer_list<int> weights) {
    int total = 0;
    for (int w : weights) total += w;
    int r = static_cast<int>(below(total)), i = 0;
    for (int w : weights) {
      if (r < w) return i;
      r -= w;
      ++i;
    }
    return i - 1;
  }
  const std::string& word() { return v_.words[below(v_.words.size())]; }
  std::string phrase() { return "\"" + v_.phrases[below(v_.phrases.size())] + "\""; }
  std::string misspelt() {
    std::string w = word();
    const size_t at = 1 + below(w.size() - 2);
    if (static_cast<unsigned char>(w[at]) < 0x80) w.erase(at, 1);  // ASCII: drop a letter
    return w;
  }
  std::string wildcard() {
    std::string w = word();
    size_t cut = std::min<size_t>(w.size(), 3 + below(3));
    while (cut < w.size() && (static_cast<unsigned char>(w[cut]) & 0xC0) == 0x80) ++cut;
    return w.substr(0, cut) + "*";
  }

  std::string text() {
    switch (pick({20, 14, 10, 6, 8, 5, 5, 5, 5, 6, 6, 4, 3, 3})) {
      case 0:
        return "";
      case 1:
        return word();
      case 2:
        return word() + " " + word();
      case 3:
        return word() + " " + word() + " " + word();
      case 4:
        return phrase();
      case 5:
        return word() + " AND " + word();
      case 6:
        return word() + " OR " + word();
      case 7:
        return word() + " NOT " + word();
      case 8:
        return "+" + word() + " -" + word();
      case 9:
        return word() + " " + wildcard();
      case 10:
        return misspelt();
      case 11:
        return phrase() + " " + word();
      case 12:
        return "GP " + std::to_string(1 + below(30));
      default:
        return v_.facets.front().first + ":" + v_.facets.front().second.front() + " " + word();
    }
  }
  void add_values(Generated& g, const std::string& facet, const std::vector<std::string>& used) {
    const size_t first = below(used.size());
    g.params.emplace(facet, used[first]);
    if (used.size() > 1 && below(3) == 0) {
      g.params.emplace(facet, used[(first + 1 + below(used.size() - 1)) % used.size()]);
    }
  }

  const Vocabulary& v_;
  std::mt19937 rng_;
};

SearchRequest parse(const Generated& g, const Taxonomy& taxonomy) {
  auto request = parse_search_request(g.params, taxonomy);
  EXPECT_TRUE(request.ok()) << describe(g) << ": " << request.error().message;
  SearchRequest r = request.ok() ? request.value() : SearchRequest{};
  if (!r.filters.count("lang")) r.ui_lang = choose_ui_language(g.params, g.accept_language);
  return r;
}

// Everything an answer must share with the single index's, one fact per line; the hits (ids,
// languages, passages, tiers, in order) when `hits`.
std::string answer(const SearchResult& r, bool hits = true) {
  std::ostringstream out;
  out << "total=" << r.total << " total_all_words=" << r.total_all_words
      << " exhaustive=" << r.exhaustive << " relaxed=" << r.relaxed << " corrected='"
      << r.corrected_query << "' applied=" << r.correction_applied << "\n";
  for (const SearchHit& h : r.hits) {
    if (hits) {
      out << "hit " << h.item.id << " " << h.item.lang << " #" << h.passage_anchor
          << (h.all_words ? " all-words" : "") << "\n";
    }
  }
  for (const FacetResult& f : r.facets) {
    out << "facet " << f.name << ":";
    for (const FacetCount& c : f.values) {
      out << " " << c.value << "=" << c.count << (c.selected ? "*" : "");
    }
    out << "\n";
  }
  return out.str();
}

// Xapian 1.4 weighs an OP_SYNONYM group (a synonym, a glossary term's equivalents, a wildcard's
// words) with a frequency each shard estimates through an OR tree shaped by its own term
// frequencies, rounding at each step: sharded, such a group can weigh up to a few percent more
// or less than in one index, and items of nearly equal weight change places (measured on the
// shipped corpus; not something a query builder can avoid). A hit list that differs is
// accepted only as that: the whole ranking down to the page's end holds the same items, each
// with the same language, passage and tier and a weight within kWeightTolerance.
constexpr double kWeightTolerance = 0.05;

// Two generated requests whose hit ORDER differs through shards by more than that tolerance:
// both reproduced with plain Xapian 1.4.22 and no nexuskb code (a wildcard's OP_SYNONYM weighed
// 10% lower on shards; a phrase inside an OR under an AND weighed on the single index although it
// matches nothing there). Known differences of the engine, listed here by name so that they stay
// visible: for them, totals, tiers, the exhaustive flag, every facet count and the did-you-mean
// must still be identical; only the order of hits is not compared. Any other request must match.
const std::set<std::string> kKnownXapianOrderDifferences = {
    "/api/v1/search?page=2&per_page=39&q=%D9%85%D8%B3%D8%A7%D8%B9%D8%AF%D8%A9%20%D9%88%D9%82%2A  "
    "(Accept-Language: en)",
    "/api/v1/search?page=3&per_page=2&q=%D8%A8%D8%A7%D9%84%D8%AA%D9%85%D9%8A%D9%8A%D8%B2%20AND%"
    "20trafic  (Accept-Language: ar)",
};

struct Ranked {
  std::string shown;  // lang, passage, tier
  double score = 0;
  size_t rank = 0;
};

std::map<std::string, Ranked> ranking(const SearchService& service, SearchRequest request,
                                      size_t depth) {
  std::map<std::string, Ranked> out;
  request.per_page = 100;
  for (request.page = 1; out.size() < depth; ++request.page) {
    const SearchResult r = service.search(request);
    for (const SearchHit& h : r.hits) {
      out[h.item.id] = {h.item.lang + " #" + h.passage_anchor + (h.all_words ? " all" : ""),
                        h.score, out.size()};
    }
    if (r.hits.size() < 100) break;
  }
  return out;
}

// Empty when `a` and `b` rank the same items down to the page's end, with weights within the
// tolerance; else what differs.
std::string beyond_near_ties(const SearchService& a, const SearchService& b,
                             const SearchRequest& request) {
  const size_t depth = static_cast<size_t>(request.page * request.per_page);
  const auto want = ranking(a, request, depth + 20), got = ranking(b, request, depth + 20);
  for (const auto& [id, w] : want) {
    if (w.rank >= depth) continue;
    auto g = got.find(id);
    if (g == got.end()) return id + " is missing";
    if (g->second.shown != w.shown) return id + " shows " + g->second.shown + " not " + w.shown;
    if (std::abs(g->second.score - w.score) > kWeightTolerance * std::abs(w.score))
      return id + " weighs " + std::to_string(g->second.score) + " not " + std::to_string(w.score);
  }
  return {};
}

// The hits' scores, which a failure shows (they may differ in the last bits without harm).
std::string scores(const SearchResult& r) {
  std::ostringstream out;
  out.precision(17);
  for (const SearchHit& h : r.hits) out << h.item.id << " " << h.score << "\n";
  return out.str();
}

// The lines where two answers differ, for a failure message.
std::string difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string out, la, lb;
  for (;;) {
    la.clear();
    lb.clear();
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return out;
    if (la != lb) out += "  single: " + la + "\n  shards: " + lb + "\n";
  }
}

class ShardsDifferential : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    corpus_ = testing::build_sharded_corpus(dir_->path());
    shard0_ = new XapianTcpsrv(corpus_.sharded / "shard-0");
    shard1_ = new XapianTcpsrv(corpus_.sharded / "shard-1");
    stub_ = testing::write_remote_stub(dir_->path() / "remote.stub", corpus_.sharded,
                                       {shard0_, shard1_});
  }
  static void TearDownTestSuite() {
    delete shard0_;
    delete shard1_;
    delete dir_;
  }
  static std::vector<Generated> requests(IndexHandle& single) {
    const Vocabulary v = vocabulary(single);
    EXPECT_GT(v.words.size(), 100u);
    EXPECT_GT(v.phrases.size(), 20u);
    EXPECT_GE(v.facets.size(), 5u);
    EXPECT_EQ(v.langs.size(), 3u);
    RequestGenerator generator(v, kSeed);
    std::vector<Generated> out;
    for (int i = 0; i < kRequests; ++i) out.push_back(generator.next());
    return out;
  }

  static testing::TempDir* dir_;
  static testing::ShardedCorpus corpus_;
  static XapianTcpsrv *shard0_, *shard1_;
  static fs::path stub_;
};

testing::TempDir* ShardsDifferential::dir_ = nullptr;
testing::ShardedCorpus ShardsDifferential::corpus_;
XapianTcpsrv* ShardsDifferential::shard0_ = nullptr;
XapianTcpsrv* ShardsDifferential::shard1_ = nullptr;
fs::path ShardsDifferential::stub_;

TEST_F(ShardsDifferential, GeneratedRequestsGetTheSingleIndexAnswerFromLocalAndRemoteShards) {
  ASSERT_TRUE(testing::port_open(shard0_->port()) && testing::port_open(shard1_->port()));
  IndexHandle single(corpus_.single.string()), local(corpus_.sharded.string());
  IndexHandle remote(stub_.string());
  ASSERT_TRUE(local.snapshot()->sharded && !local.snapshot()->remote);
  ASSERT_EQ(remote.snapshot()->remote_shards,
            (std::vector<std::string>{shard0_->address(), shard1_->address()}));
  const SearchService one(single), near(local), far(remote);
  const Taxonomy& taxonomy = single.snapshot()->taxonomy;

  int failures = 0, near_ties = 0, with_hits = 0, paged = 0, sorted = 0, filtered = 0;
  int corrected = 0;
  for (const Generated& g : requests(single)) {
    const SearchRequest request = parse(g, taxonomy);
    const SearchResult expected = one.search(request);
    const std::string want = answer(expected);
    for (const auto& [name, service] : {std::pair{"local", &near}, std::pair{"remote", &far}}) {
      const SearchResult result = service->search(request);
      const std::string got = answer(result);
      if (got == want) continue;
      std::string why;
      if (answer(result, false) == answer(expected, false)) {
        why = beyond_near_ties(one, *service, request);
        if (why.empty()) {
          ++near_ties;
          std::cout << "note: " << name << " shards order near-equal items differently for "
                    << describe(g) << "\n";
          continue;
        }
      }
      if (kKnownXapianOrderDifferences.count(describe(g)) &&
          answer(result, false) == answer(expected, false)) {
        std::cout << "known: " << name << " shards order hits differently (Xapian 1.4) for "
                  << describe(g) << "\n";
        continue;
      }
      if (++failures <= 10) {
        ADD_FAILURE() << name << " shards differ for " << describe(g) << "\n"
                      << difference(want, got) << "scores:\n"
                      << difference(scores(expected), scores(result)) << why;
      }
    }
    with_hits += !expected.hits.empty();
    paged += request.page > 1;
    sorted += request.sort == SortOrder::kNumber;
    filtered += !request.filters.empty();
    corrected += !expected.corrected_query.empty();
  }
  EXPECT_EQ(failures, 0);
  // Near-tie swaps stay rare: more would be another cause hiding behind the tolerance.
  EXPECT_LE(near_ties, kRequests / 50);
  // The generator covers the space it claims to (a corpus change must not hollow it out).
  EXPECT_GT(with_hits, kRequests / 3);
  EXPECT_GT(paged, kRequests / 4);
  EXPECT_GT(sorted, kRequests / 3);
  EXPECT_GT(filtered, kRequests / 2);
  EXPECT_GT(corrected, 10);
}

// A handful through the real server over HTTP: the JSON bodies (without took_ms) are identical.
TEST_F(ShardsDifferential, HttpAnswersFromRemoteShardsEqualTheSingleIndex) {
  testing::RunningServer single(corpus_.single), remote(stub_);
  httplib::Client a = single.client(), b = remote.client();
  const auto all = [] {
    IndexHandle index(corpus_.single.string());
    return requests(index);
  }();
  int compared = 0;
  for (size_t i = 0; i < all.size(); i += 50) {
    const Generated& g = all[i];
    const httplib::Headers headers{{"Accept-Language", g.accept_language}};
    auto ra = a.Get(to_url(g).c_str(), headers), rb = b.Get(to_url(g).c_str(), headers);
    ASSERT_TRUE(ra && rb) << describe(g);
    ASSERT_EQ(ra->status, 200) << describe(g) << " " << ra->body;
    ASSERT_EQ(rb->status, 200) << describe(g) << " " << rb->body;
    auto ja = nlohmann::json::parse(ra->body), jb = nlohmann::json::parse(rb->body);
    ja.erase("took_ms");
    jb.erase("took_ms");
    EXPECT_EQ(ja, jb) << describe(g);
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

// The server reads stub files itself (to set timeouts on remote shards): comments, blank lines,
// `auto PATH` and plain paths relative to the stub's folder, and a clear refusal of anything else.
TEST_F(ShardsDifferential, StubFilesAreReadLineByLineAndAnUnknownLineIsRefusedByName) {
  const fs::path stub = corpus_.sharded / "local.stub";
  std::ofstream(stub) << "# nexuskb-meta meta\n\n  # two local shards\nauto shard-0\n"
                      << (corpus_.sharded / "shard-1").string() << "\r\n";
  IndexHandle local(stub.string()), single(corpus_.single.string());
  EXPECT_EQ(local.snapshot()->stub_entries.size(), 2u);
  EXPECT_TRUE(local.snapshot()->remote_shards.empty());
  EXPECT_EQ(local.snapshot()->doc_count, single.snapshot()->doc_count);

  const fs::path bad = corpus_.sharded / "bad.stub";
  std::ofstream(bad) << "# nexuskb-meta meta\nauto shard-0\nremote :xapian-progsrv shard-1\n";
  try {
    IndexHandle refused(bad.string());
    ADD_FAILURE() << "a stub with an unknown line was opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(
        std::string(e.what()).find("bad.stub:3: cannot read the line 'remote :xapian-progsrv"),
        std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace nexuskb
