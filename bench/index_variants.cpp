// Indexing cost, split by what the indexer asks Xapian to do. Loads a content directory once
// with the indexer's own load_corpus() and make_document(), then builds throw-away databases
// in several ways and reports CPU seconds and passages per CPU-second for each:
//
//   baseline          what write_corpus does today: TermGenerator FLAG_SPELLING (one
//                     add_spelling call per word occurrence) + replace_document(unique term)
//   add_document      same, but add_document (the database is always new, so the unique-term
//                     lookup of replace_document buys nothing)
//   spelling_per_doc  no FLAG_SPELLING; after make_document, one add_spelling(word, count) per
//                     distinct unprefixed word of the document (the same spelling data)
//   no_spelling       no spelling data at all
//   no_stored_text    no_spelling, and the document without its data (stored item JSON with
//                     passage texts) and without the rendered-HTML value slot: the cost of
//                     storing the text twice
//   no_positions      no_spelling, and every term re-added with its wdf but without positions
//                     (phrase search would break: this only measures what positions cost)
//   documents_only    make_document() alone, nothing written (the TermGenerator / document-data
//                     share; the rest of no_spelling is Xapian's inverter, flushes and commit)
//
// Each variant ends with commit() (add_cpu_s: until then, commit_cpu_s: the final commit; Xapian
// also flushes by itself every XAPIAN_FLUSH_THRESHOLD documents, 10000 by default); compaction and
// publishing are not included (they are the same for all). A variant named twice in --variants
// keeps its fastest run. Usage: bench_index_variants --content DIR --tmp DIR [--variants a,b,...]
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "core/schema.h"
#include "indexer/corpus.h"
#include "indexer/document_builder.h"

namespace {

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  std::string content, tmp,
      variants =
          "baseline,add_document,spelling_per_doc,no_spelling,no_stored_text,no_positions,"
          "documents_only";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--content")
      content = argv[i + 1];
    else if (a == "--tmp")
      tmp = argv[i + 1];
    else if (a == "--variants")
      variants = argv[i + 1];
  }
  if (content.empty() || tmp.empty()) {
    std::cerr << "usage: bench_index_variants --content DIR --tmp DIR [--variants a,b]\n";
    return 2;
  }
  double t0 = cpu_seconds();
  auto corpus = nexuskb::load_corpus(content);
  if (!corpus.ok()) {
    std::cerr << "content errors: " << corpus.errors().size() << "\n";
    return 1;
  }
  size_t passages = 0;
  for (const auto& c : corpus.value().items) passages += c.body.passages.size();
  nlohmann::json out;
  out["content"] = std::filesystem::path(content).filename().string();  // no machine paths
  out["documents"] = corpus.value().items.size();
  out["passages"] = passages;
  out["load_corpus_cpu_s"] = std::round((cpu_seconds() - t0) * 100) / 100;

  const nexuskb::BuildContext build(corpus.value());
  std::stringstream list(variants);
  for (std::string v; std::getline(list, v, ',');) {
    const std::string path = tmp + "/variant-" + v;
    std::filesystem::remove_all(path);
    const double start = cpu_seconds();
    double add_cpu = 0;
    const auto wall = std::chrono::steady_clock::now();
    {
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
      Xapian::TermGenerator gen;
      gen.set_database(db);
      gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
      if (v == "baseline" || v == "add_document")
        gen.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
      for (size_t d = 0; d < build.documents.size(); ++d) {  // one document per item
        Xapian::Document doc = nexuskb::make_document(build.versions(d), build.codes, gen);
        if (v == "spelling_per_doc") {
          for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            const std::string term = *t;
            if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // prefixed
            const Xapian::termcount n = t.positionlist_count();
            if (n) db.add_spelling(term, n);
          }
        }
        if (v == "documents_only") continue;
        if (v == "no_stored_text") {
          doc.remove_value(nexuskb::schema::kSlotHtml);
          doc.remove_value(nexuskb::schema::kSlotPassageTexts);
          doc.set_data("");
        }
        if (v == "no_positions") {
          Xapian::Document lean;
          for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            if (t.get_wdf()) {
              lean.add_term(*t, t.get_wdf());
            } else {
              lean.add_boolean_term(*t);
            }
          }
          for (auto val = doc.values_begin(); val != doc.values_end(); ++val)
            lean.add_value(val.get_valueno(), *val);
          lean.set_data(doc.get_data());
          doc = lean;
        }
        if (v == "baseline") {
          db.replace_document(
              std::string(nexuskb::schema::kPrefixUid) + build.versions(d).front()->item.id, doc);
        } else {
          db.add_document(doc);
        }
      }
      add_cpu = cpu_seconds() - start;
      db.commit();
    }
    const double cpu = cpu_seconds() - start;
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    // A variant listed twice keeps its fastest run (the machine is shared: min is the robust one).
    if (out["variants"].contains(v) && out["variants"][v]["cpu_s"].get<double>() <= cpu) continue;
    out["variants"][v] = {{"cpu_s", std::round(cpu * 100) / 100},
                          {"add_cpu_s", std::round(add_cpu * 100) / 100},
                          {"commit_cpu_s", std::round((cpu - add_cpu) * 100) / 100},
                          {"wall_s", std::round(wall_s * 100) / 100},
                          {"passages_per_cpu_s", std::round(passages / cpu)}};
    std::filesystem::remove_all(path);
    std::cerr << v << ": " << cpu << " CPU s\n";
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}
