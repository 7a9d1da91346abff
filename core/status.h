// Expected failures as values: a located content error and a Result<T> carrying either.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nexuskb {

// A problem in a content file, printed as "file:line: message" (line 0 = the whole file).
struct ContentError {
  std::string file;
  int line = 0;
  std::string message;

  std::string to_string() const { return file + ":" + std::to_string(line) + ": " + message; }
};

using ContentErrors = std::vector<ContentError>;

// Either a value or the list of errors that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}                // NOLINT: implicit on purpose
  Result(ContentErrors errors) : state_(std::move(errors)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const ContentErrors& errors() const { return std::get<ContentErrors>(state_); }

 private:
  std::variant<T, ContentErrors> state_;
};

}  // namespace nexuskb
