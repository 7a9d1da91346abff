// Where a report's figures come from: the git revision of the source tree and paths shown
// relative to it.
#pragma once

#include <filesystem>
#include <string>

namespace nexuskb::relevance {

// The commit checked out in `source` ("0123456789ab (branch)"), read from .git without running
// git; worktrees and packed refs included. "unknown" when there is none.
std::string git_revision(const std::filesystem::path& source);

// `p` relative to `source` when inside it, else as given.
std::string display_path(const std::string& p, const std::filesystem::path& source);

}  // namespace nexuskb::relevance
