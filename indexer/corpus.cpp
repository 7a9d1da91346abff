// Corpus loading and cross-file validation.
#include "indexer/corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "indexer/parallel.h"

namespace nexuskb {
namespace fs = std::filesystem;
namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "/doc/gp-2#anchor" -> "gp-2"; empty for links that are not internal item links.
std::string linked_item_id(const std::string& url) {
  const std::string prefix = "/doc/";
  if (url.rfind(prefix, 0) != 0) return {};
  std::string rest = url.substr(prefix.size());
  return rest.substr(0, rest.find_first_of("#?"));
}

void check_cross_references(const std::vector<CorpusItem>& items, ContentErrors& errors) {
  std::set<std::string> ids;
  std::map<std::string, const CorpusItem*> first_by_id;
  std::set<std::pair<std::string, std::string>> seen;
  for (const CorpusItem& c : items) ids.insert(c.item.id);
  for (const CorpusItem& c : items) {
    const ContentItem& it = c.item;
    if (!seen.insert({it.id, it.lang}).second) {
      errors.push_back(
          {it.path, 2,
           "duplicate item: id '" + it.id + "' in lang '" + it.lang + "' appears twice"});
    }
    auto [pos, fresh] = first_by_id.emplace(it.id, &c);
    if (!fresh) {
      const ContentItem& other = pos->second->item;
      if (other.kind != it.kind || other.number != it.number) {
        errors.push_back(
            {it.path, 2,
             "translation of '" + it.id + "' disagrees with " + other.path + " on kind or number"});
      }
    }
    for (const MarkdownLink& link : c.body.links) {
      std::string target = linked_item_id(link.url);
      if (!target.empty() && ids.count(target) == 0) {
        errors.push_back(
            {it.path, it.body_line + link.line - 1, "link to unknown item '" + target + "'"});
      }
    }
    for (int line : c.body.raw_html_lines) {
      errors.push_back({it.path, it.body_line + std::max(line, 1) - 1,
                        "raw HTML is not allowed in content (it is never rendered); use Markdown"});
    }
  }
}

}  // namespace

Result<Corpus> load_corpus(const std::string& dir, unsigned threads) {
  ContentErrors errors;
  const fs::path root(dir);
  if (!fs::is_directory(root)) return ContentErrors{{dir, 0, "content directory not found"}};

  auto taxonomy = Taxonomy::load_file((root / "taxonomy.yaml").string());
  if (!taxonomy.ok()) return taxonomy.errors();
  auto synonyms = load_synonyms((root / "synonyms.yaml").string());
  if (!synonyms.ok()) errors = synonyms.errors();
  auto glossary = load_glossary((root / "glossary.yaml").string());
  if (!glossary.ok())
    errors.insert(errors.end(), glossary.errors().begin(), glossary.errors().end());

  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  Corpus corpus{taxonomy.value(),
                synonyms.ok() ? synonyms.value() : SynonymGroups{},
                glossary.ok() ? glossary.value() : Glossary{},
                {}};
  // Files are parsed and rendered in parallel, in batches; results and errors are gathered in
  // file order, so the output does not depend on the number of threads.
  std::vector<std::optional<Result<ContentItem>>> parsed(files.size());
  std::vector<RenderedBody> bodies(files.size());
  render_markdown("");  // registers cmark-gfm's extensions once, before any thread
  constexpr size_t kBatch = 64;
  std::vector<std::function<void()>> jobs;
  for (size_t start = 0; start < files.size(); start += kBatch) {
    jobs.push_back([&, start] {
      for (size_t i = start; i < std::min(files.size(), start + kBatch); ++i) {
        parsed[i] = parse_content_item(files[i].string(), read_file(files[i]), corpus.taxonomy);
        if (parsed[i]->ok()) bodies[i] = render_markdown(parsed[i]->value().body);
      }
    });
  }
  run_parallel(jobs, threads);
  for (size_t i = 0; i < files.size(); ++i) {
    if (!parsed[i]->ok()) {
      errors.insert(errors.end(), parsed[i]->errors().begin(), parsed[i]->errors().end());
      continue;
    }
    corpus.items.push_back({std::move(*parsed[i]).value(), std::move(bodies[i]),
                            fs::relative(files[i], root).string()});
  }
  std::sort(corpus.items.begin(), corpus.items.end(), [](const CorpusItem& a, const CorpusItem& b) {
    return std::tie(a.item.id, a.item.lang) < std::tie(b.item.id, b.item.lang);
  });
  check_cross_references(corpus.items, errors);
  if (!errors.empty()) return errors;
  return corpus;
}

}  // namespace nexuskb
