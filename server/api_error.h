// Request failures as values: an HTTP status plus the JSON error body of the API contract.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace nexuskb {

struct ApiError {
  int status = 400;
  std::string code;       // snake_case, stable
  std::string message;    // for people
  std::string parameter;  // the offending parameter, or empty
};

// Either a value or the ApiError that prevented it.
template <typename T>
class Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}         // NOLINT: implicit on purpose
  Expected(ApiError error) : state_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  T& value() { return std::get<T>(state_); }
  const ApiError& error() const { return std::get<ApiError>(state_); }

 private:
  std::variant<T, ApiError> state_;
};

// The index could not answer for now: a remote shard is down or too slow, or every search worker
// stayed busy. Thrown through the search service (it is exceptional, and every route that searches
// must answer it the same way); the server answers 503 with Retry-After and this message.
class Unavailable : public std::runtime_error {
 public:
  Unavailable(std::string code, const std::string& message, int retry_after_seconds = 1)
      : std::runtime_error(message), code_(std::move(code)), retry_after_(retry_after_seconds) {}
  const std::string& code() const { return code_; }
  int retry_after() const { return retry_after_; }

 private:
  std::string code_;
  int retry_after_;
};

inline ApiError bad_parameter(std::string code, std::string parameter, std::string message) {
  return ApiError{400, std::move(code), std::move(message), std::move(parameter)};
}

}  // namespace nexuskb
