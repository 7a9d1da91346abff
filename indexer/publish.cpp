// Writer lock, symlink switching and clean-up of superseded builds.
#include "indexer/publish.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace nexuskb {
namespace fs = std::filesystem;
namespace {

fs::path folder_of(const fs::path& out) {
  return out.parent_path().empty() ? fs::path(".") : out.parent_path();
}

// Removes every entry of out's folder named "<out><infix>..." except those in `keep`.
void remove_siblings(const fs::path& out, const std::string& infix,
                     std::initializer_list<std::string> keep) {
  const std::string stem = out.filename().string() + infix;
  for (const auto& entry : fs::directory_iterator(folder_of(out))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) != 0) continue;
    if (std::find(keep.begin(), keep.end(), name) != keep.end()) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: some file systems refuse fsync on a directory
  ::close(fd);
}

}  // namespace

fs::path fresh_sibling(const fs::path& out, const std::string& tag) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  return out.parent_path() / (out.filename().string() + "." + tag + "-" + std::to_string(micros) +
                              "-" + std::to_string(::getpid()));
}

IndexWriterLock::IndexWriterLock(const fs::path& out) {
  const fs::path lock = out.string() + ".lock";
  fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw fs::filesystem_error("cannot open the index lock file", lock,
                               std::error_code(errno, std::generic_category()));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("another nexuskb-index is writing this index (" + lock.string() +
                             " is locked); try again when it has finished");
  }
}

IndexWriterLock::~IndexWriterLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void remove_stale_leftovers(const fs::path& out) {
  remove_siblings(out, ".tmp-", {});
  remove_siblings(out, ".link-", {});
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
  sync_folder(folder_of(out));
  remove_siblings(out, ".v-", {built.filename().string(), previous.filename().string()});
}

}  // namespace nexuskb
