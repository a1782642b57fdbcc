// GoogleTest assertions for Result/Status values. Header-only; include from tests only.
//
//   ASSERT_OK(chain.apply_block(b));
//   EXPECT_ERROR_CODE(state.apply(tx, ctx), ErrorCode::kPermissionDenied);
//   EXPECT_ERROR(r, ErrorCode::kInvalidArgument, "comments.csv");  // code and message substring
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "datadao/common/result.hpp"

namespace datadao::testkit {

template <class T>
const Error* error_of(const Result<T>& r) {
  return r.ok() ? nullptr : &r.error();
}
inline const Error* error_of(const Status& s) { return s.ok() ? nullptr : &s.error(); }

template <class R>
::testing::AssertionResult is_ok(const char* expr, const R& r) {
  if (const Error* e = error_of(r)) {
    return ::testing::AssertionFailure() << expr << " failed: " << e->to_string();
  }
  return ::testing::AssertionSuccess();
}

template <class R>
::testing::AssertionResult has_error(const char* expr, const char*, const char*, const R& r,
                                     ErrorCode code, std::string_view in_message = {}) {
  const Error* e = error_of(r);
  if (e == nullptr) {
    return ::testing::AssertionFailure()
           << expr << " succeeded; expected the error " << error_code_name(code);
  }
  if (e->code != code) {
    return ::testing::AssertionFailure() << expr << " failed with " << e->to_string()
                                         << "; expected the error " << error_code_name(code);
  }
  if (!in_message.empty() && e->message.find(in_message) == std::string::npos) {
    return ::testing::AssertionFailure() << expr << " failed with " << e->to_string()
                                         << "; expected the message to name \"" << in_message
                                         << "\"";
  }
  return ::testing::AssertionSuccess();
}

template <class R>
::testing::AssertionResult has_error_code(const char* expr, const char* code_expr, const R& r,
                                          ErrorCode code) {
  return has_error(expr, code_expr, "", r, code);
}

// The value of a Result a test cannot go on without; a failed one ends the test program.
template <class T>
T must(Result<T> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.error().to_string();
    std::abort();
  }
  return std::move(r).value();
}

}  // namespace datadao::testkit

#define ASSERT_OK(expr) ASSERT_PRED_FORMAT1(::datadao::testkit::is_ok, (expr))
#define EXPECT_OK(expr) EXPECT_PRED_FORMAT1(::datadao::testkit::is_ok, (expr))
#define EXPECT_ERROR_CODE(expr, code) \
  EXPECT_PRED_FORMAT2(::datadao::testkit::has_error_code, (expr), (code))
#define ASSERT_ERROR_CODE(expr, code) \
  ASSERT_PRED_FORMAT2(::datadao::testkit::has_error_code, (expr), (code))
#define EXPECT_ERROR(expr, code, in_message) \
  EXPECT_PRED_FORMAT3(::datadao::testkit::has_error, (expr), (code), (in_message))
