// The API documentation kept in step with the server: docs/openapi.yaml against the route table
// in server/http_server.cpp (read as source, so new routes are noticed) and against the answers
// of the real server on the fixture index.
#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "core/schema.h"
#include "server/url.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

using nlohmann::json;
using testing::build_index;
using testing::RunningServer;
using testing::source_path;
using testing::TempDir;

const std::set<std::string> kHttpMethods{"get",     "put",  "post",  "delete",
                                         "options", "head", "patch", "trace"};

// Values that exist in the fixture index, used instead of the documentation's examples (which
// name items of the real corpus). Other parameters use their documented `example`.
const std::map<std::string, std::string> kFixtureValues{
    {"id", "fx-gp-18"},
    {"items", "fx-gp-18,fx-gp-1"},
    {"pack", "fx-gp-18"},
};

std::string read_source(const std::string& relative) {
  std::ifstream in(source_path(relative));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every pattern given to http_.Get(...) in the route table, as written ("..." or R"(...)").
std::vector<std::string> registered_get_routes() {
  static const std::regex get_call(R"re(http_\.Get\(\s*(?:R"\(([\s\S]*?)\)"|"([^"]*)"))re");
  const std::string source = read_source("server/http_server.cpp");
  std::vector<std::string> routes;
  for (auto it = std::sregex_iterator(source.begin(), source.end(), get_call);
       it != std::sregex_iterator(); ++it) {
    routes.push_back((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  }
  return routes;
}

// A route pattern with each capture group "( ... )" replaced by "{}".
std::string normalize_route(const std::string& pattern) {
  std::string out;
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      if (depth == 0) out += pattern.substr(i + 1, 1);  // "\." -> "."
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      continue;
    }
    if (c == '[' && depth > 0) {
      in_class = true;
    } else if (c == '(') {
      if (depth++ == 0) out += "{}";
    } else if (c == ')') {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

// An OpenAPI path with each "{name}" replaced by "{}".
std::string normalize_path(const std::string& path) {
  return std::regex_replace(path, std::regex(R"(\{[^}]*\})"), "{}");
}

class ApiDocsTest : public testing::FixtureServerTest {
 protected:
  static void SetUpTestSuite() {
    spec_ = new YAML::Node(YAML::LoadFile(source_path("docs/openapi.yaml").string()));
    FixtureServerTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    FixtureServerTest::TearDownTestSuite();
    delete spec_;
  }

  static const YAML::Node& spec() { return *spec_; }

  static YAML::Node child(const YAML::Node& node, const std::string& key) { return node[key]; }

  // The node at "#/a/b/c" below the document root (undefined when absent). Read through const
  // nodes only: yaml-cpp's non-const operator[] and operator= would modify the document.
  static YAML::Node at_pointer(const std::string& ref) {
    std::vector<std::string> parts;
    std::istringstream in(ref.substr(2));
    for (std::string part; std::getline(in, part, '/');) parts.push_back(part);
    auto walk = [&](auto& self, const YAML::Node& node, size_t i) -> YAML::Node {
      if (i == parts.size() || !node.IsDefined()) return node;
      return self(self, node[parts[i]], i + 1);
    };
    return walk(walk, spec(), 0);
  }

  // Follows local "$ref"s ("#/components/...") until it reaches the node itself.
  static YAML::Node resolve(const YAML::Node& start) {
    if (!start.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);  // a missing key
    YAML::Node node(start);
    for (int hops = 0; node.IsMap() && child(node, "$ref") && hops < 10; ++hops) {
      const std::string ref = child(node, "$ref").as<std::string>();
      EXPECT_EQ(ref.rfind("#/", 0), 0u) << "only local references are used: " << ref;
      const YAML::Node target = at_pointer(ref);
      EXPECT_TRUE(target.IsDefined()) << "dangling reference " << ref;
      if (!target.IsDefined()) return YAML::Node();
      node.reset(target);
    }
    return node;
  }

  struct Parameter {
    std::string name, in;
    bool required = false;
    YAML::Node example;
  };

  static std::vector<Parameter> parameters(const YAML::Node& operation) {
    std::vector<Parameter> out;
    for (const auto& p : operation["parameters"]) {
      const YAML::Node r = resolve(p);
      out.push_back({r["name"].as<std::string>(), r["in"].as<std::string>(),
                     r["required"].as<bool>(false), r["example"]});
    }
    return out;
  }

  // "name=value" pairs for one parameter: fixture value, else its example (a list repeats).
  static std::vector<std::string> query_pairs(const Parameter& p) {
    std::vector<std::string> pairs;
    auto pair = [&](const std::string& v) { return p.name + "=" + url_encode(v); };
    if (auto it = kFixtureValues.find(p.name); it != kFixtureValues.end()) {
      pairs.push_back(pair(it->second));
    } else if (p.example.IsSequence()) {
      for (const auto& v : p.example) pairs.push_back(pair(v.as<std::string>()));
    } else if (p.example.IsScalar()) {
      pairs.push_back(pair(p.example.as<std::string>()));
    }
    return pairs;
  }

  // The path with path parameters filled in, and the required query parameters; `extra` (if
  // given) adds one more query parameter.
  static std::string request_target(const std::string& path, const YAML::Node& operation,
                                    const Parameter* extra = nullptr) {
    std::string target = path;
    std::vector<std::string> query;
    for (const Parameter& p : parameters(operation)) {
      if (p.in == "path") {
        auto it = kFixtureValues.find(p.name);
        const std::string value = it != kFixtureValues.end() ? it->second
                                  : p.example.IsScalar()     ? p.example.as<std::string>()
                                                             : "";
        EXPECT_FALSE(value.empty()) << path << ": path parameter " << p.name << " has no example";
        target = std::regex_replace(target, std::regex("\\{" + p.name + "\\}"), value);
      } else if (p.in == "query" && p.required && (extra == nullptr || extra->name != p.name)) {
        auto pairs = query_pairs(p);
        EXPECT_FALSE(pairs.empty()) << path << ": required " << p.name << " has no example";
        query.insert(query.end(), pairs.begin(), pairs.end());
      }
    }
    if (extra != nullptr) {
      auto pairs = query_pairs(*extra);
      EXPECT_FALSE(pairs.empty()) << path << ": parameter " << extra->name << " has no example";
      query.insert(query.end(), pairs.begin(), pairs.end());
    }
    for (size_t i = 0; i < query.size(); ++i) target += (i == 0 ? "?" : "&") + query[i];
    return target;
  }

  // Checks a JSON value against a schema of the subset this document uses (type, nullable, enum,
  // properties, required, additionalProperties, items, allOf). Properties the document does not
  // list are reported too: the documentation must name every field the server sends.
  static void check_schema(const YAML::Node& schema_in, const json& value, const std::string& at,
                           std::vector<std::string>& problems) {
    const YAML::Node schema = resolve(schema_in);
    if (!schema.IsDefined()) return;
    if (value.is_null() && schema["nullable"].as<bool>(false)) return;
    if (schema["allOf"]) {
      // Merge the parts into one object schema.
      YAML::Node merged;
      merged["type"] = "object";
      for (const auto& part_in : schema["allOf"]) {
        const YAML::Node part = resolve(part_in);
        for (const auto& prop : part["properties"]) merged["properties"][prop.first] = prop.second;
        for (const auto& req : part["required"]) merged["required"].push_back(req);
      }
      return check_schema(merged, value, at, problems);
    }
    const std::string type = schema["type"].as<std::string>("");
    auto fail = [&](const std::string& what) { problems.push_back(at + ": " + what); };
    if (type == "object") {
      if (!value.is_object()) return fail("expected an object, got " + value.dump());
      const YAML::Node props = schema["properties"];
      for (const auto& req : schema["required"]) {
        if (!value.contains(req.as<std::string>())) fail("missing " + req.as<std::string>());
      }
      for (const auto& [key, v] : value.items()) {
        if (props && props[key]) {
          check_schema(props[key], v, at + "." + key, problems);
        } else if (schema["additionalProperties"] && schema["additionalProperties"].IsMap()) {
          check_schema(schema["additionalProperties"], v, at + "." + key, problems);
        } else {
          fail("field '" + key + "' is not documented");
        }
      }
    } else if (type == "array") {
      if (!value.is_array()) return fail("expected an array, got " + value.dump());
      for (size_t i = 0; i < value.size(); ++i) {
        check_schema(schema["items"], value[i], at + "[" + std::to_string(i) + "]", problems);
      }
    } else if (type == "string") {
      if (!value.is_string()) return fail("expected a string, got " + value.dump());
      if (schema["enum"]) {
        bool listed = false;
        for (const auto& e : schema["enum"]) listed |= e.as<std::string>() == value;
        if (!listed) fail("value " + value.dump() + " is not in the documented enum");
      }
    } else if (type == "integer") {
      if (!value.is_number_integer()) fail("expected an integer, got " + value.dump());
    } else if (type == "number") {
      if (!value.is_number()) fail("expected a number, got " + value.dump());
    } else if (type == "boolean") {
      if (!value.is_boolean()) fail("expected a boolean, got " + value.dump());
    } else {
      fail("schema without a type");
    }
  }

  // GETs `target` and checks the answer against the documented responses of `operation`.
  static httplib::Result get_and_check(const std::string& target, const YAML::Node& operation) {
    auto client = server_->client();
    httplib::Result res = client.Get(target.c_str());
    EXPECT_TRUE(res) << target;
    if (!res) return res;
    EXPECT_NE(res->status, 404) << target << "\n" << res->body.substr(0, 300);
    EXPECT_NE(res->status, 405) << target;
    const YAML::Node response = resolve(operation["responses"][std::to_string(res->status)]);
    EXPECT_TRUE(response.IsDefined())
        << target << ": status " << res->status << " is not documented\n"
        << res->body.substr(0, 300);
    if (!response.IsDefined() || !response["content"]) return res;
    std::string media = res->get_header_value("Content-Type");
    media = media.substr(0, media.find(';'));
    const YAML::Node content = response["content"][media];
    EXPECT_TRUE(content.IsDefined()) << target << ": Content-Type " << media << " not documented";
    if (content.IsDefined() && media == "application/json") {
      std::vector<std::string> problems;
      check_schema(content["schema"], json::parse(res->body), "body", problems);
      for (const std::string& p : problems) ADD_FAILURE() << target << ": " << p;
    }
    return res;
  }

  static YAML::Node* spec_;
};
YAML::Node* ApiDocsTest::spec_ = nullptr;

TEST(ApiDocsRoutes, TheRouteTableIsReadFromTheServerSource) {
  const std::vector<std::string> routes = registered_get_routes();
  EXPECT_GE(routes.size(), 10u);
  auto has = [&](const std::string& r) {
    return std::find(routes.begin(), routes.end(), r) != routes.end();
  };
  EXPECT_TRUE(has("/api/v1/search"));
  EXPECT_TRUE(has("/api/v1/documents/([^/]+)"));
  EXPECT_EQ(normalize_route("/api/v1/documents/([^/]+)"), "/api/v1/documents/{}");
  EXPECT_EQ(normalize_route("/static/(.+)"), "/static/{}");
  EXPECT_EQ(normalize_route(R"(/a/(x(y)z)/b\.c)"), "/a/{}/b.c");
  EXPECT_EQ(normalize_path("/doc/{id}"), "/doc/{}");
}

TEST_F(ApiDocsTest, EveryRegisteredRouteIsDocumentedAndEveryDocumentedPathIsRegistered) {
  std::set<std::string> registered, documented;
  for (const std::string& r : registered_get_routes()) registered.insert(normalize_route(r));
  ASSERT_TRUE(spec()["paths"].IsMap());
  for (const auto& p : spec()["paths"])
    documented.insert(normalize_path(p.first.as<std::string>()));
  for (const std::string& r : registered) {
    EXPECT_TRUE(documented.count(r)) << "route " << r << " is missing from docs/openapi.yaml";
  }
  for (const std::string& d : documented) {
    EXPECT_TRUE(registered.count(d)) << "docs/openapi.yaml documents " << d
                                     << ", which server/http_server.cpp does not register";
  }
}

TEST_F(ApiDocsTest, EveryDocumentedPathIsAGetWithParametersForItsPlaceholders) {
  for (const auto& p : spec()["paths"]) {
    const std::string path = p.first.as<std::string>();
    for (const auto& op : p.second) {
      const std::string method = op.first.as<std::string>();
      if (kHttpMethods.count(method)) {
        EXPECT_EQ(method, "get") << path << ": the server answers only GET (and HEAD)";
      }
    }
    ASSERT_TRUE(p.second["get"]) << path;
    std::set<std::string> placeholders, declared;
    const std::regex placeholder(R"(\{([^}]*)\})");
    for (auto it = std::sregex_iterator(path.begin(), path.end(), placeholder);
         it != std::sregex_iterator(); ++it) {
      placeholders.insert((*it)[1].str());
    }
    for (const Parameter& param : parameters(p.second["get"])) {
      if (param.in == "path") {
        declared.insert(param.name);
        EXPECT_TRUE(param.required) << path << ": path parameter " << param.name;
      }
    }
    EXPECT_EQ(placeholders, declared) << path;
    EXPECT_TRUE(p.second["get"]["responses"]["200"]) << path << " documents no 200 answer";
  }
}

TEST_F(ApiDocsTest, EveryDocumentedGetAnswersOnTheRealServerAsDocumented) {
  int called = 0;
  for (const auto& p : spec()["paths"]) {
    const std::string path = p.first.as<std::string>();
    const YAML::Node op = p.second["get"];
    if (!op) continue;
    const std::string target = request_target(path, op);
    auto res = get_and_check(target, op);
    ++called;
    if (res) {
      EXPECT_EQ(res->status, 200) << target << "\n" << res->body.substr(0, 300);
    }
  }
  EXPECT_GE(called, 10);
}

TEST_F(ApiDocsTest, EveryDocumentedQueryParameterIsAcceptedWithItsExample) {
  int checked = 0;
  for (const auto& p : spec()["paths"]) {
    const std::string path = p.first.as<std::string>();
    const YAML::Node op = p.second["get"];
    if (!op) continue;
    for (const Parameter& param : parameters(op)) {
      if (param.in != "query") continue;
      const std::string target = request_target(path, op, &param);
      auto res = get_and_check(target, op);
      if (!res) continue;
      ++checked;
      EXPECT_EQ(res->status, 200) << target << "\n" << res->body.substr(0, 300);
      if (res->get_header_value("Content-Type") == "application/json") {
        const json body = json::parse(res->body);
        EXPECT_FALSE(body.contains("error")) << target << ": " << body.dump();
      }
    }
  }
  EXPECT_GE(checked, 20);
}

// The search parameters the parser accepts (the schema's facets plus q, page, per_page, sort)
// are exactly the documented ones, and each documented one is accepted, not unknown_parameter.
TEST_F(ApiDocsTest, SearchDocumentsExactlyTheParametersTheParserAccepts) {
  const YAML::Node op = spec()["paths"]["/api/v1/search"]["get"];
  ASSERT_TRUE(op);
  std::set<std::string> documented, accepted{"q", "page", "per_page", "sort"};
  for (const schema::Facet& f : schema::kFacets) accepted.insert(std::string(f.name));
  for (const Parameter& p : parameters(op)) {
    if (p.in == "query") documented.insert(p.name);
  }
  EXPECT_EQ(documented, accepted);
  auto client = server_->client();
  for (const Parameter& p : parameters(op)) {
    auto res = client.Get(request_target("/api/v1/search", op, &p).c_str());
    ASSERT_TRUE(res) << p.name;
    const json body = json::parse(res->body);
    EXPECT_EQ(res->status, 200) << p.name << ": " << body.dump();
    if (body.contains("error")) {
      EXPECT_NE(body["error"]["code"], "unknown_parameter") << p.name;
    }
  }
  // The check can fail: a parameter the parser does not know is refused.
  auto res = client.Get("/api/v1/search?undocumented_parameter=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "unknown_parameter");
}

// Every route that documents a 400 answers an unknown parameter with it, in the documented shape.
TEST_F(ApiDocsTest, DocumentedBadRequestAnswersHaveTheDocumentedShape) {
  int checked = 0;
  for (const auto& p : spec()["paths"]) {
    const std::string path = p.first.as<std::string>();
    const YAML::Node op = p.second["get"];
    if (!op || !op["responses"]["400"]) continue;
    std::string target = request_target(path, op);
    target += (target.find('?') == std::string::npos ? "?" : "&") + std::string("zz_unknown=1");
    auto res = get_and_check(target, op);
    ASSERT_TRUE(res) << target;
    ++checked;
    EXPECT_EQ(res->status, 400) << target;
    if (res->get_header_value("Content-Type") == "application/json") {
      EXPECT_EQ(json::parse(res->body)["error"]["code"], "unknown_parameter") << target;
      EXPECT_EQ(json::parse(res->body)["error"]["parameter"], "zz_unknown") << target;
    }
  }
  EXPECT_GE(checked, 8);
}

}  // namespace
}  // namespace nexuskb
