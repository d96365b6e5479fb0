#include "graph/pyregex.h"

#include <gtest/gtest.h>

namespace kb::graph {
namespace {

bool Search(const char* pattern, const char* subject) {
  std::string err;
  auto re = PyRegex::Compile(pattern, &err);
  EXPECT_TRUE(re) << err;
  return re && re->Search(subject);
}

TEST(PyRegexTest, SearchIsUnanchored) {
  EXPECT_TRUE(Search("keystone", "barbican-keystone-listener"));
  EXPECT_FALSE(Search("^keystone", "barbican-keystone-listener"));
}

TEST(PyRegexTest, PythonOnlySyntax) {
  EXPECT_TRUE(Search("(?i)^CRON$", "cron"));
  EXPECT_TRUE(Search("(?<=nova-)api$", "nova-api"));
  EXPECT_FALSE(Search("(?<=nova-)api$", "placement-api"));
  EXPECT_TRUE(Search("(?P<n>^cron$)", "cron"));
  EXPECT_TRUE(Search("cron\\Z", "cron"));
  EXPECT_FALSE(Search("cron\\Z", "cron\n"));
  EXPECT_TRUE(Search("cron$", "cron\n"));
  // Python reads {,2} as zero to two repeats.
  EXPECT_TRUE(Search("a{,2}x", "nova-xvpvncproxy"));
  EXPECT_TRUE(Search("^a{,2}$", "aa"));
  EXPECT_FALSE(Search("^a{,2}$", "aaa"));
  EXPECT_TRUE(Search("[{,2}]", ","));
  EXPECT_TRUE(Search("\\u0063ron", "cron"));
}

TEST(PyRegexTest, EmptyAlternativeMatchesEverything) {
  EXPECT_TRUE(Search("^cron$|", "nova-api"));
}

TEST(PyRegexTest, InvalidPatternIsAClearError) {
  std::string err;
  EXPECT_EQ(PyRegex::Compile("(", &err), nullptr);
  EXPECT_EQ(err.rfind("invalid regex '(': ", 0), 0u) << err;
  EXPECT_EQ(PyRegex::Compile("cron)", &err), nullptr);
}

}  // namespace
}  // namespace kb::graph
