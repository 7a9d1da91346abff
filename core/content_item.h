// The content model: one Markdown file with YAML front matter, parsed into a typed ContentItem.
//
// parse_content_item() validates every key against the taxonomy and reports *all* problems at
// once, each with the file and the line it concerns. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/taxonomy.h"

namespace nexuskb {

using PracticeNumber = int;

struct SourceCitation {
  std::string document;  // taxonomy documents key
  std::string url;
  std::string page;  // may be empty
};

struct ContentItem {
  std::string path;  // as given to the parser, for messages
  std::string id;
  std::string lang;
  std::string kind;
  std::string title;
  std::optional<PracticeNumber> number;
  std::string section;
  std::vector<PracticeNumber> practices;
  std::vector<std::string> actors;
  std::vector<std::string> regions;
  std::vector<std::string> themes;
  SourceCitation source;
  bool verified = false;
  std::string summary;
  std::string body;   // Markdown after the front matter
  int body_line = 1;  // line number of the body's first line in the file
};

// Parses `text` (the file's contents); `path` is used only in error messages.
Result<ContentItem> parse_content_item(const std::string& path, const std::string& text,
                                       const Taxonomy& taxonomy);

// True when `id` is a valid stable id: [a-z0-9]+(-[a-z0-9]+)*.
bool is_valid_id(const std::string& id);

}  // namespace nexuskb
