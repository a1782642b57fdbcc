// Errors as values: Result<T> holds either a T or an Error (code + message naming the input).
//
// Use for every failure that bad input or the environment can cause. Exceptions are reserved for
// programming errors and for the CLI/API edge. A Result is a plain value: const methods may be
// called from several threads without synchronisation.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace datadao {

enum class ErrorCode {
  kInvalidArgument,     // malformed or out-of-range input
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // a unique thing was created twice
  kCorruption,          // stored or received bytes fail an integrity check
  kUnauthenticated,     // wrong passphrase, bad signature
  kPermissionDenied,    // signer lacks the right (not the owner, revoked grant, ...)
  kFailedPrecondition,  // state does not allow it (insufficient funds, bad nonce, ...)
  kLimitExceeded,       // a hard limit on untrusted input was hit
  kIoError,             // file system, database or network failure
  kInternal,            // a bug: should not happen
};

inline std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kAlreadyExists:
      return "already exists";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission denied";
    case ErrorCode::kFailedPrecondition:
      return "failed precondition";
    case ErrorCode::kLimitExceeded:
      return "limit exceeded";
    case ErrorCode::kIoError:
      return "I/O error";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "unknown error";
}

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  std::string to_string() const { return std::string(error_code_name(code)) + ": " + message; }
  // Prefixes the message with context ("wallet alice.json: " + message).
  Error with_context(std::string_view context) const {
    return Error{code, std::string(context) + ": " + message};
  }
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    check();
    return std::get<0>(v_);
  }
  T& value() & {
    check();
    return std::get<0>(v_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  void check() const {
    if (!ok()) std::abort();  // Reading the value of a failed Result is a programming error.
  }
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace datadao

// Propagate failure: DD_TRY(status_expr); DD_ASSIGN(var, result_expr);
#define DD_CONCAT_INNER(a, b) a##b
#define DD_CONCAT(a, b) DD_CONCAT_INNER(a, b)
#define DD_TRY(expr)                                         \
  do {                                                       \
    auto&& dd_try_status_ = (expr);                          \
    if (!dd_try_status_.ok()) return dd_try_status_.error(); \
  } while (0)
#define DD_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                   \
  if (!tmp.ok()) return tmp.error();   \
  lhs = std::move(tmp).value()
#define DD_ASSIGN(lhs, expr) DD_ASSIGN_IMPL(DD_CONCAT(dd_assign_tmp_, __LINE__), lhs, expr)
