#include "engine/label_fold.h"

#include <gtest/gtest.h>

namespace kb::engine {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

TEST(FoldLabelsTest, AllLabelsBecomeOneQuotedLineAtTheEnd) {
  auto f = FoldLabels("FROM base\nRUN true\n",
                      {{"build-date", "20261203"},
                       {"org.opencontainers.image.title", "nova-api"}});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->dockerfile,
            "FROM base\nRUN true\n"
            "LABEL \"build-date\"=\"20261203\" "
            "\"org.opencontainers.image.title\"=\"nova-api\"\n");
  EXPECT_TRUE(f->rest.empty());
}

TEST(FoldLabelsTest, DollarQuotesAndBackslashesStayLiteral) {
  auto f = FoldLabels("FROM base", {{"maintainer", R"(Bob "$USER" \o/ ${X})"}});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->dockerfile,
            "FROM base\nLABEL \"maintainer\"=\"Bob \\\"\\$USER\\\" \\\\o/ "
            "\\${X}\"\n");
}

TEST(FoldLabelsTest, BacktickEscapeDirectiveIsHonoured) {
  auto f = FoldLabels("# escape=`\nFROM base\n", {{"k", R"(a\b"$c`)"}});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->dockerfile,
            "# escape=`\nFROM base\nLABEL \"k\"=\"a\\b`\"`$c``\"\n");
  // A directive after other content is only a comment.
  auto g = FoldLabels("FROM base\n# escape=`\n", {{"k", "`"}});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->dockerfile, "FROM base\n# escape=`\nLABEL \"k\"=\"`\"\n");
}

TEST(FoldLabelsTest, LineBreaksAndEmptyKeysStayParameters) {
  auto f = FoldLabels("FROM base\n",
                      {{"a", "one\ntwo"}, {"", "x"}, {"b", "ok"}});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->dockerfile, "FROM base\nLABEL \"b\"=\"ok\"\n");
  EXPECT_EQ(f->rest, (Labels{{"a", "one\ntwo"}, {"", "x"}}));
  EXPECT_FALSE(FoldLabels("FROM base\n", {{"a", "x\r"}}));
  EXPECT_FALSE(FoldLabels("FROM base\n", {}));
}

TEST(FoldLabelsTest, TrailingContinuationIsNotExtended) {
  EXPECT_FALSE(FoldLabels("FROM base\nRUN true \\\n\n", {{"a", "b"}}));
  EXPECT_FALSE(FoldLabels("# escape=`\nFROM base\nRUN true `  \n", {{"a", "b"}}));
  EXPECT_TRUE(FoldLabels("# escape=`\nFROM base\nRUN dir c:\\\n", {{"a", "b"}}));
}

}  // namespace
}  // namespace kb::engine
