#include "graph/from_parser.h"

#include <gtest/gtest.h>

namespace kb::graph {
namespace {

const char kBase[] = "kolla/base:master-debian-trixie";

TEST(FromParserTest, PlainFromIsTheSecondWord) {
  FromInfo f = ParseFrom("FROM kolla/base:master-debian-trixie\nRUN x\n", {});
  EXPECT_EQ(f.parent, kBase);
}

TEST(FromParserTest, PlatformFlagIsSkipped) {
  EXPECT_EQ(ParseFrom("FROM --platform=linux/amd64 kolla/base:master-debian-"
                      "trixie\n", {}).parent,
            kBase);
}

TEST(FromParserTest, ArgBeforeFromIsSubstituted) {
  const char* df =
      "ARG BASE=kolla/base:master-debian-trixie\nFROM ${BASE}\n";
  EXPECT_EQ(ParseFrom(df, {}).parent, kBase);
  EXPECT_EQ(ParseFrom("ARG B=x\nFROM $B\n", {{"B", "y:1"}}).parent, "y:1");
  EXPECT_EQ(ParseFrom("ARG T\nFROM img:${T:-latest}\n", {}).parent,
            "img:latest");
}

TEST(FromParserTest, MultiStageParentIsTheFinalStagesBase) {
  const char* df =
      "FROM docker.io/library/golang:1.22 AS build\nRUN go version\n"
      "FROM kolla/base:master-debian-trixie\nCOPY --from=build /go /go\n";
  FromInfo f = ParseFrom(df, {});
  EXPECT_EQ(f.parent, kBase);
  EXPECT_EQ(f.images, (std::vector<std::string>{
                          "docker.io/library/golang:1.22", kBase}));
}

TEST(FromParserTest, StageNamesAreFollowedAndLowercaseAsWorks) {
  const char* df =
      "FROM kolla/base:master-debian-trixie as stage1\nFROM stage1\n";
  FromInfo f = ParseFrom(df, {});
  EXPECT_EQ(f.parent, kBase);
  EXPECT_EQ(f.images, std::vector<std::string>{kBase});
}

TEST(FromParserTest, NoFromAndScratch) {
  EXPECT_EQ(ParseFrom("RUN true\n", {}).parent, "");
  EXPECT_EQ(ParseFrom("FROM scratch\n", {}).parent, "");
}

TEST(FromParserTest, CommentsAndContinuationsAreSkipped) {
  EXPECT_EQ(ParseFrom("# FROM wrong\nFROM \\\n  kolla/base:master-debian-"
                      "trixie\n", {}).parent,
            kBase);
}

}  // namespace
}  // namespace kb::graph
