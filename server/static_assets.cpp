// Preloading and content types of static assets.
#include "server/static_assets.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace nexuskb {
namespace fs = std::filesystem;
namespace {

std::string content_type_for(const std::string& ext) {
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

StaticAssets::StaticAssets(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    StaticAsset asset{ss.str(), content_type_for(entry.path().extension().string()), ""};
    std::ostringstream tag;
    tag << '"' << std::hex << std::hash<std::string>{}(asset.body) << '"';
    asset.etag = tag.str();
    assets_[fs::relative(entry.path(), dir).generic_string()] = std::move(asset);
  }
}

const StaticAsset* StaticAssets::find(const std::string& name) const {
  auto it = assets_.find(name);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace nexuskb
