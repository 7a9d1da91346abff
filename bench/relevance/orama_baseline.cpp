// Exporting the corpus and queries for run.mjs, running it with posix_spawnp (no shell), and
// reading its rankings back.
#include "bench/relevance/orama_baseline.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

extern char** environ;

namespace nexuskb::relevance {
namespace {

namespace fs = std::filesystem;

// Exit status of run.mjs when @orama/* cannot be imported.
constexpr int kExitPackagesMissing = 3;

nlohmann::json corpus_json(const std::vector<BaselineDocument>& documents) {
  nlohmann::json docs = nlohmann::json::array();
  for (const BaselineDocument& d : documents) {
    docs.push_back({{"id", d.id},
                    {"lang", d.lang},
                    {"title", d.title},
                    {"summary", d.summary},
                    {"body", d.body},
                    {"kind", d.kind},
                    {"section", d.section},
                    {"actors", d.actors},
                    {"regions", d.regions},
                    {"themes", d.themes},
                    {"practices", d.practices}});
  }
  return {{"documents", docs}};
}

nlohmann::json queries_json(const std::vector<JudgedQuery>& queries, int depth) {
  nlohmann::json list = nlohmann::json::array();
  for (const JudgedQuery& q : queries) {
    list.push_back({{"id", q.id}, {"query", q.query}, {"filters", q.filters}});
  }
  return {{"depth", depth}, {"queries", list}};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last non-empty lines of a program's stderr, joined, for a one-line reason.
std::string tail_lines(const std::string& text, int lines = 3) {
  std::vector<std::string> kept;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) kept.push_back(line);
  }
  std::string out;
  for (size_t i = kept.size() > static_cast<size_t>(lines) ? kept.size() - lines : 0;
       i < kept.size(); ++i) {
    out += (out.empty() ? "" : " / ") + kept[i];
  }
  return out;
}

// Runs argv with stdin from /dev/null and stdout, stderr into files. Returns the exit status, or
// -1 with `error` set when the program could not be started or did not exit normally.
int spawn_and_wait(const std::vector<std::string>& args, const fs::path& out, const fs::path& err,
                   std::string& error) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = rc == ENOENT ? "`" + args[0] + "` not found (Node.js 18 or later is needed)"
                         : "cannot start `" + args[0] + "`: " + std::strerror(rc);
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      error = std::string("waitpid: ") + std::strerror(errno);
      return -1;
    }
  }
  if (!WIFEXITED(status)) {
    error = "`" + args[0] + "` was killed by signal " + std::to_string(WTERMSIG(status));
    return -1;
  }
  return WEXITSTATUS(status);
}

}  // namespace

OramaResults run_orama(const OramaConfig& config, const std::vector<BaselineDocument>& documents,
                       const std::vector<JudgedQuery>& queries) {
  OramaResults results;
  const fs::path corpus = config.work_dir / "orama-corpus.json";
  const fs::path input = config.work_dir / "orama-queries.json";
  const fs::path out = config.work_dir / "orama-rankings.json";
  const fs::path err = config.work_dir / "orama-stderr.txt";
  {
    std::ofstream c(corpus), q(input);
    c << corpus_json(documents).dump();
    q << queries_json(queries, config.depth).dump();
    if (!c || !q) {
      results.unavailable = "cannot write the exchange files in " + config.work_dir.string();
      return results;
    }
  }

  std::string error;
  const int code = spawn_and_wait(
      {config.node, config.script.string(), corpus.string(), input.string()}, out, err, error);
  if (code < 0) {
    results.unavailable = error;
    return results;
  }
  if (code == kExitPackagesMissing) {
    results.unavailable = tail_lines(read_file(err), 1);
    return results;
  }
  if (code != 0) {
    results.unavailable = config.script.filename().string() + " failed (exit " +
                          std::to_string(code) + "): " + tail_lines(read_file(err));
    return results;
  }

  try {
    const nlohmann::json j = nlohmann::json::parse(read_file(out));
    results.orama_version = j.at("orama_version").get<std::string>();
    results.node_version = j.at("node_version").get<std::string>();
    for (const auto& q : j.at("queries")) {
      OramaRun run{.matched = q.at("matched").get<long>(), .ms = q.at("ms").get<double>()};
      for (const auto& h : q.at("hits")) {
        run.hits.push_back({h.at("id").get<std::string>(), h.at("lang").get<std::string>(),
                            h.at("score").get<double>()});
      }
      results.by_query[q.at("id").get<std::string>()] = std::move(run);
    }
  } catch (const nlohmann::json::exception& e) {
    results.unavailable =
        "unreadable output from " + config.script.filename().string() + ": " + e.what();
    results.by_query.clear();
  }
  return results;
}

}  // namespace nexuskb::relevance
