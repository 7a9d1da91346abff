// Static assets (CSS, JS, icons) preloaded from one folder into memory at start-up.
//
// Only files present in that folder at start-up can ever be served, so no request path can
// reach any other file. Each asset carries an ETag; If-None-Match answers 304.
#pragma once

#include <map>
#include <string>

namespace nexuskb {

struct StaticAsset {
  std::string body, content_type, etag;
};

class StaticAssets {
 public:
  explicit StaticAssets(const std::string& dir);  // a missing folder serves nothing
  const StaticAsset* find(const std::string& name) const;
  size_t size() const { return assets_.size(); }

 private:
  std::map<std::string, StaticAsset> assets_;
};

}  // namespace nexuskb
