// Atomic publication of a built index: `out` is a symlink switched with one rename().
#pragma once

#include <filesystem>
#include <string>

namespace nexuskb {

// A fresh, unique directory name beside `out` for a new build ("<out>.<stamp>").
std::filesystem::path fresh_sibling(const std::filesystem::path& out, const std::string& tag);

// Points `out` at `built` with one atomic rename() of a temporary symlink, then removes
// builds older than the one `out` pointed at before (that one is kept: servers may still be
// reading it). Throws std::filesystem::filesystem_error when `out` is a real directory or on I/O
// errors.
void publish_index(const std::filesystem::path& built, const std::filesystem::path& out);

}  // namespace nexuskb
