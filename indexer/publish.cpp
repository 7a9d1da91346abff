// Symlink switching and clean-up of superseded builds.
#include "indexer/publish.h"

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <system_error>

namespace nexuskb {
namespace fs = std::filesystem;

fs::path fresh_sibling(const fs::path& out, const std::string& tag) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return out.parent_path() / (out.filename().string() + "." + tag + "-" + std::to_string(micros) +
                              "-" + std::to_string(::getpid()));
}

void publish_index(const fs::path& built, const fs::path& out) {
  if (fs::exists(fs::symlink_status(out)) && !fs::is_symlink(fs::symlink_status(out))) {
    throw fs::filesystem_error("refusing to replace a path that is not a symlink", out,
                               std::make_error_code(std::errc::file_exists));
  }
  fs::path previous;
  if (fs::is_symlink(fs::symlink_status(out))) previous = fs::read_symlink(out);

  fs::path tmp_link = fresh_sibling(out, "link");
  fs::create_symlink(built.filename(), tmp_link);  // relative: the folder can be moved
  if (std::rename(tmp_link.c_str(), out.c_str()) != 0) {
    std::error_code ec(errno, std::generic_category());
    fs::remove(tmp_link);
    throw fs::filesystem_error("cannot switch the index link", tmp_link, out, ec);
  }

  const std::string stem = out.filename().string() + ".v-";
  for (const auto& entry :
       fs::directory_iterator(out.parent_path().empty() ? "." : out.parent_path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) != 0) continue;
    if (name == built.filename().string() || name == previous.filename().string()) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace nexuskb
