// Markdown rendering: passages split at H2 with slug anchors, safe HTML, links and raw-HTML lines.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/markdown.h"

namespace nexuskb {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> anchors(const RenderedBody& body) {
  std::vector<std::string> out;
  for (const Passage& p : body.passages) out.push_back(p.anchor);
  return out;
}

TEST(MarkdownTest, SplitsAtH2WithSlugAnchors) {
  RenderedBody body = render_markdown(
      "## What it recommends\n\nReview the penal code.\n\n## Follow the money\n\nTrace "
      "payments.\n\n### A detail\n\nStill in the money passage.\n");
  ASSERT_EQ(body.passages.size(), 2u);
  EXPECT_EQ(body.passages[0].anchor, "what-it-recommends");
  EXPECT_EQ(body.passages[0].heading, "What it recommends");
  EXPECT_EQ(body.passages[0].text, "Review the penal code.");
  EXPECT_EQ(body.passages[1].anchor, "follow-the-money");
  EXPECT_EQ(body.passages[1].heading, "Follow the money");
  EXPECT_TRUE(contains(body.passages[1].text, "Trace payments."));
  EXPECT_TRUE(contains(body.passages[1].text, "A detail"));  // H3 stays inside the passage
  EXPECT_TRUE(contains(body.passages[1].text, "Still in the money passage."));
}

TEST(MarkdownTest, TextBeforeFirstH2IsOverview) {
  RenderedBody body = render_markdown("Money is the link.\n\n## Pitfalls\n\nClosing channels.\n");
  ASSERT_EQ(body.passages.size(), 2u);
  EXPECT_EQ(body.passages[0].anchor, "overview");
  EXPECT_EQ(body.passages[0].text, "Money is the link.");
  EXPECT_EQ(body.passages[1].anchor, "pitfalls");
}

TEST(MarkdownTest, NoOverviewPassageWhenBodyStartsWithH2) {
  RenderedBody body = render_markdown("## Only\n\nText.\n");
  EXPECT_EQ(anchors(body), (std::vector<std::string>{"only"}));
}

TEST(MarkdownTest, BodyWithoutHeadingsIsOneOverviewPassage) {
  RenderedBody body = render_markdown("First paragraph.\n\nSecond paragraph.\n");
  ASSERT_EQ(body.passages.size(), 1u);
  EXPECT_EQ(body.passages[0].anchor, "overview");
  EXPECT_TRUE(contains(body.passages[0].text, "First paragraph."));
  EXPECT_TRUE(contains(body.passages[0].text, "Second paragraph."));
}

TEST(MarkdownTest, DuplicateHeadingsGetNumberedAnchors) {
  RenderedBody body = render_markdown(
      "## Pitfalls\n\na\n\n## Pitfalls\n\nb\n\n## Pitfalls\n\nc\n\n## Suivre l'argent\n\nd\n");
  EXPECT_EQ(anchors(body),
            (std::vector<std::string>{"pitfalls", "pitfalls-2", "pitfalls-3", "suivre-l-argent"}));
  EXPECT_TRUE(contains(body.html, "<h2 id=\"pitfalls\">Pitfalls</h2>")) << body.html;
  EXPECT_TRUE(contains(body.html, "<h2 id=\"pitfalls-2\">Pitfalls</h2>")) << body.html;
  EXPECT_TRUE(contains(body.html, "<h2 id=\"pitfalls-3\">Pitfalls</h2>")) << body.html;
}

TEST(MarkdownTest, HeadingIdsMatchPassageAnchors) {
  RenderedBody body =
      render_markdown("Intro.\n\n## Follow the money\n\nx\n\nSetext two\n---\n\ny\n");
  EXPECT_EQ(anchors(body),
            (std::vector<std::string>{"overview", "follow-the-money", "setext-two"}));
  EXPECT_TRUE(contains(body.html, "<h2 id=\"follow-the-money\">Follow the money</h2>"))
      << body.html;
  EXPECT_TRUE(contains(body.html, "<h2 id=\"setext-two\">Setext two</h2>")) << body.html;
  EXPECT_FALSE(contains(body.html, "<h2>")) << body.html;
}

// An H2 nested in a block quote is not a passage boundary; the passage headings that follow it
// must still get their own ids.
TEST(MarkdownTest, NestedH2DoesNotShiftHeadingIds) {
  RenderedBody body = render_markdown("> ## Quoted\n\n## Real heading\n\nText.\n");
  EXPECT_EQ(anchors(body), (std::vector<std::string>{"overview", "real-heading"}));
  EXPECT_TRUE(contains(body.html, "<h2 id=\"real-heading\">Real heading</h2>")) << body.html;
}

TEST(MarkdownTest, TablesRender) {
  RenderedBody body = render_markdown("| Actor | Role |\n|---|---|\n| FIU | Analyses reports |\n");
  EXPECT_TRUE(contains(body.html, "<table>")) << body.html;
  EXPECT_TRUE(contains(body.html, "<td>Analyses reports</td>")) << body.html;
  ASSERT_EQ(body.passages.size(), 1u);
  EXPECT_TRUE(contains(body.passages[0].text, "Analyses reports"));
}

TEST(MarkdownTest, RawHtmlIsNeverPassedThroughAndIsReported) {
  struct Case {
    const char* name;
    std::string markdown;
    std::vector<int> lines;
    const char* forbidden;
  };
  const std::vector<Case> cases = {
      {"block", "## Body\n\nSee below.\n\n<div>raw html</div>\n", {5}, "<div>"},
      {"script block", "Text.\n\n<script>alert(1)</script>\n", {3}, "<script>"},
      {"inline", "Some <b>bold</b> words.\n", {1, 1}, "<b>"},
      {"img onerror", "Look: <img src=x onerror=alert(1)>\n", {1}, "<img"},
      {"iframe", "<iframe src=\"https://evil.example\"></iframe>\n", {1}, "<iframe"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RenderedBody body = render_markdown(c.markdown);
    EXPECT_FALSE(contains(lower(body.html), c.forbidden)) << body.html;
    EXPECT_EQ(body.raw_html_lines, c.lines);
  }
}

TEST(MarkdownTest, InlineRawHtmlReportsItsOwnLine) {
  RenderedBody body =
      render_markdown("First line of a paragraph\nsecond line with <span>x</span>.\n");
  ASSERT_FALSE(body.raw_html_lines.empty());
  EXPECT_EQ(body.raw_html_lines.front(), 2);
}

TEST(MarkdownTest, EscapedAngleBracketsAreNotRawHtml) {
  RenderedBody body =
      render_markdown("When x < y and `<div>` in code.\n\n    <pre>indented</pre>\n");
  EXPECT_TRUE(body.raw_html_lines.empty());
  EXPECT_TRUE(contains(body.html, "x &lt; y")) << body.html;
  EXPECT_TRUE(contains(body.html, "<code>&lt;div&gt;</code>")) << body.html;
}

TEST(MarkdownTest, LinksAreCollectedWithBodyLines) {
  RenderedBody body = render_markdown(
      "## Pitfalls\n\nSee [Good Practice 18](/doc/fx-gp-18).\nAnd [the "
      "toolkit](https://example.org/t)\n"
      "on two lines, [again](/doc/fx-gp-1#pitfalls).\n\n- item with [a link](/doc/fx-gp-2)\n");
  ASSERT_EQ(body.links.size(), 4u);
  EXPECT_EQ(body.links[0].url, "/doc/fx-gp-18");
  EXPECT_EQ(body.links[0].line, 3);
  EXPECT_EQ(body.links[1].url, "https://example.org/t");
  EXPECT_EQ(body.links[1].line, 4);
  EXPECT_EQ(body.links[2].url, "/doc/fx-gp-1#pitfalls");
  EXPECT_EQ(body.links[2].line, 5);
  EXPECT_EQ(body.links[3].url, "/doc/fx-gp-2");
  EXPECT_EQ(body.links[3].line, 7);
  EXPECT_TRUE(contains(body.html, "<a href=\"/doc/fx-gp-18\">Good Practice 18</a>")) << body.html;
}

// MarkdownLink::line is documented as 1-based; links made by the autolink extension count too.
TEST(MarkdownTest, AutolinksCarryTheirBodyLine) {
  RenderedBody body = render_markdown("Intro.\n\nAutolink: https://example.org/auto\n");
  ASSERT_EQ(body.links.size(), 1u);
  EXPECT_EQ(body.links[0].url, "https://example.org/auto");
  EXPECT_EQ(body.links[0].line, 3);
}

TEST(MarkdownTest, DangerousUrlsAreNotRenderedAsLinks) {
  const std::vector<std::string> cases = {
      "[click](javascript:alert(1))",
      "[click](JavaScript:alert(1))",
      "<javascript:alert(1)>",
      "[click](vbscript:msgbox)",
      "[click](data:text/html;base64,PHNjcmlwdD4=)",
      "![img](javascript:alert(1))",
  };
  for (const std::string& md : cases) {
    SCOPED_TRACE(md);
    RenderedBody body = render_markdown(md + "\n");
    const std::string html = lower(body.html);
    EXPECT_FALSE(contains(html, "href=\"javascript:")) << body.html;
    EXPECT_FALSE(contains(html, "href=\"vbscript:")) << body.html;
    EXPECT_FALSE(contains(html, "href=\"data:")) << body.html;
    EXPECT_FALSE(contains(html, "src=\"javascript:")) << body.html;
  }
}

TEST(MarkdownTest, HeadingTextIsPlainAndEscapedInHtml) {
  RenderedBody body = render_markdown("## The *nexus* & its `forms`\n\nx\n");
  ASSERT_EQ(body.passages.size(), 1u);
  EXPECT_EQ(body.passages[0].heading, "The nexus & its forms");
  EXPECT_EQ(body.passages[0].anchor, "the-nexus-its-forms");
  EXPECT_TRUE(contains(body.html, "&amp;")) << body.html;
}

TEST(MarkdownTest, RawHtmlInHeadingIsDroppedAndReported) {
  RenderedBody body = render_markdown("Intro.\n\n## The <b>nexus</b>\n\nx\n");
  EXPECT_EQ(body.raw_html_lines, (std::vector<int>{3, 3}));
  EXPECT_FALSE(contains(body.html, "<b>")) << body.html;
  ASSERT_EQ(body.passages.size(), 2u);
  EXPECT_FALSE(contains(body.passages[1].heading, "<b>"));
}

TEST(MarkdownTest, EmptyBodyHasNoPassages) {
  RenderedBody body = render_markdown("");
  EXPECT_TRUE(body.passages.empty());
  EXPECT_TRUE(body.links.empty());
  EXPECT_TRUE(body.raw_html_lines.empty());
}

}  // namespace
}  // namespace nexuskb
