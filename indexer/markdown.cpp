// cmark-gfm rendering and passage splitting.
#include "indexer/markdown.h"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "core/text.h"

namespace nexuskb {
namespace {

constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART;

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

std::string take_string(char* s) {
  std::string out = s ? s : "";
  std::free(s);
  return out;
}

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string plain_text(cmark_node* node) {
  return take_string(cmark_render_plaintext(node, kOptions, 0));
}

// Top-level H2 headings get a marker text node before rendering; the marker (control characters
// pass through cmark's HTML escaping unchanged) is then replaced by the passage's id. Headings
// nested in quotes or lists carry no marker and get no id.
std::string heading_marker(size_t index) {
  return "\x01nexuskb-h2-" + std::to_string(index) + "\x01";
}

std::string add_heading_ids(const std::string& html, const std::vector<std::string>& anchors) {
  std::string out = html;
  for (size_t i = 0; i < anchors.size(); ++i) {
    const std::string marked = "<h2>" + heading_marker(i);
    size_t h = out.find(marked);
    if (h == std::string::npos) continue;
    out.replace(h, marked.size(), "<h2 id=\"" + html_escape(anchors[i]) + "\">");
  }
  return out;
}

// Nodes made by extensions (autolinks) have no position: use the nearest ancestor's line.
int source_line(cmark_node* node) {
  for (cmark_node* n = node; n; n = cmark_node_parent(n)) {
    if (int line = cmark_node_get_start_line(n); line > 0) return line;
  }
  return 1;
}

}  // namespace

RenderedBody render_markdown(const std::string& markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  for (const char* name : {"table", "autolink", "strikethrough", "tagfilter"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  std::unique_ptr<cmark_node, NodeDeleter> doc;
  {
    // cmark-gfm's inline parser adds and removes its extensions' special characters in one
    // global table while it runs (github/cmark-gfm#176), so parsers must not run at once.
    // Rendering the tree afterwards touches no shared state.
    static std::mutex parsing;
    std::lock_guard lock(parsing);
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    doc.reset(cmark_parser_finish(parser.get()));
  }

  RenderedBody out;
  std::set<std::string> used;
  std::vector<std::string> h2_anchors;
  Passage current{"overview", "", ""};
  auto flush = [&] {
    current.text = trim(current.text);
    if (!current.text.empty() || !current.heading.empty()) out.passages.push_back(current);
  };
  for (cmark_node* n = cmark_node_first_child(doc.get()); n; n = cmark_node_next(n)) {
    if (cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2) {
      flush();
      std::string heading = trim(plain_text(n));
      std::string anchor = slugify(heading);
      for (int k = 2; used.count(anchor); ++k) anchor = slugify(heading) + "-" + std::to_string(k);
      used.insert(anchor);
      cmark_node* marker = cmark_node_new(CMARK_NODE_TEXT);
      cmark_node_set_literal(marker, heading_marker(h2_anchors.size()).c_str());
      cmark_node_prepend_child(n, marker);
      h2_anchors.push_back(anchor);
      current = Passage{anchor, heading, ""};
    } else {
      current.text += plain_text(n);
      current.text += "\n";
    }
  }
  flush();

  cmark_iter* iter = cmark_iter_new(doc.get());
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter);
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_LINK) {
      const char* url = cmark_node_get_url(node);
      out.links.push_back({url ? url : "", source_line(node)});
    } else if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      int line = cmark_node_get_start_line(node);
      if (line == 0 && cmark_node_parent(node))
        line = cmark_node_get_start_line(cmark_node_parent(node));
      out.raw_html_lines.push_back(line);
    }
  }
  cmark_iter_free(iter);

  std::string html = take_string(
      cmark_render_html(doc.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get())));
  out.html = add_heading_ids(html, h2_anchors);
  return out;
}

}  // namespace nexuskb
