// Markdown bodies (GitHub flavour, via cmark-gfm) rendered to safe HTML and split into passages.
//
// Raw HTML in content is never passed through (CMARK_OPT_UNSAFE stays off) and is reported as an
// error so curators notice. Thread-safe: each call uses its own parser.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace nexuskb {

// A passage: the text between two H2 headings. The text before the first H2 is the passage
// with anchor "overview" and the item's title as heading.
struct Passage {
  std::string anchor;   // stable slug of the heading, unique within the item
  std::string heading;  // plain text
  std::string text;     // plain text for indexing and snippets
};

struct MarkdownLink {
  std::string url;
  int line;  // line within the body (1-based)
};

struct RenderedBody {
  std::string html;  // H2 elements carry id="<anchor>"
  std::vector<Passage> passages;
  std::vector<MarkdownLink> links;
  std::vector<int> raw_html_lines;  // body lines holding raw HTML (rejected by the indexer)
};

RenderedBody render_markdown(const std::string& markdown);

}  // namespace nexuskb
