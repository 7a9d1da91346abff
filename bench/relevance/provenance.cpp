// Reading the checked-out revision from .git, and report paths.
#include "bench/relevance/provenance.h"

#include <fstream>

namespace nexuskb::relevance {
namespace {

namespace fs = std::filesystem;

std::string read_first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

}  // namespace

std::string git_revision(const fs::path& source) {
  std::error_code ec;
  fs::path git = source / ".git";
  if (fs::is_regular_file(git, ec)) {  // worktree or submodule: "gitdir: <path>"
    std::string line = read_first_line(git);
    if (line.rfind("gitdir: ", 0) != 0) return "unknown";
    git = fs::path(line.substr(8));
    if (git.is_relative()) git = source / git;
  }
  std::string head = read_first_line(git / "HEAD");
  if (head.empty()) return "unknown";
  if (head.rfind("ref: ", 0) != 0) return head.substr(0, 12);
  const std::string ref = head.substr(5);
  std::string hash = read_first_line(git / ref);
  if (hash.empty()) {
    // Look in packed-refs, and in the common dir of a worktree.
    const fs::path common = read_first_line(git / "commondir");
    for (const fs::path& dir : {git, common.is_relative() ? git / common : common}) {
      if (hash.empty()) hash = read_first_line(dir / ref);
      std::ifstream packed(dir / "packed-refs");
      for (std::string line; hash.empty() && std::getline(packed, line);) {
        if (line.size() > 41 && line.compare(41, std::string::npos, ref) == 0) {
          hash = line.substr(0, 40);
        }
      }
    }
  }
  if (hash.empty()) return "unknown";
  return hash.substr(0, 12) + " (" + ref.substr(ref.rfind('/') + 1) + ")";
}

std::string display_path(const std::string& p, const fs::path& source) {
  const fs::path abs = fs::absolute(p).lexically_normal();
  const fs::path rel = abs.lexically_relative(source.lexically_normal());
  if (!rel.empty() && *rel.begin() != "..") return rel.string();
  return p;
}

}  // namespace nexuskb::relevance
