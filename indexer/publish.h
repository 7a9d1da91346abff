// Atomic publication of a built index: `out` is a symlink switched with one rename(), under a
// writer lock so that two indexers never publish into the same place at once.
#pragma once

#include <filesystem>
#include <string>

namespace nexuskb {

// A fresh, unique directory name beside `out` for a new build ("<out>.<tag>-<stamp>-<pid>").
std::filesystem::path fresh_sibling(const std::filesystem::path& out, const std::string& tag);

// An exclusive lock on "<out>.lock" (flock, released when the object dies or the process ends,
// also by a crash), in the manner of LevelDB's LOCK file: one writer per index path at a time.
class IndexWriterLock {
 public:
  // Throws std::filesystem::filesystem_error when the lock file cannot be opened, and
  // std::runtime_error naming the path when another process holds the lock.
  explicit IndexWriterLock(const std::filesystem::path& out);
  ~IndexWriterLock();
  IndexWriterLock(const IndexWriterLock&) = delete;
  IndexWriterLock& operator=(const IndexWriterLock&) = delete;

 private:
  int fd_ = -1;
};

// With the writer lock held: removes what earlier runs left behind when they crashed ("<out>.tmp-*"
// build folders and "<out>.link-*" temporary symlinks). No other writer can own them.
void remove_stale_leftovers(const std::filesystem::path& out);

// Points `out` at `built` with one atomic rename() of a temporary symlink, syncs the folder so
// that the switch survives a power cut, then removes builds older than the one `out` pointed at
// before (that one is kept: servers may still be reading it). Call with the writer lock held.
// Throws std::filesystem::filesystem_error when `out` is a real directory or on I/O errors.
void publish_index(const std::filesystem::path& built, const std::filesystem::path& out);

}  // namespace nexuskb
