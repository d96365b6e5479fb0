// Contexts as Python's json and PyYAML's safe_load read them (the expected
// values were checked once with /usr/bin/python3).
#include "render/context.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace kb::render {
namespace {

std::string WriteTemp(const std::string& suffix, const std::string& text) {
  char name[] = "/tmp/kb-ctx-XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::string path = std::string(name) + suffix;
  rename(name, path.c_str());
  std::ofstream(path) << text;
  return path;
}

std::string Load(const std::string& suffix, const std::string& text) {
  std::string path = WriteTemp(suffix, text);
  auto r = LoadContextFile(path);
  unlink(path.c_str());
  if (!r.ok()) return r.error().error_class + ": " + r.error().message;
  return r.value().Repr();
}

TEST(JsonContextTest, KeepsOrderFloatsAndIntegersOfAnySize) {
  EXPECT_EQ(Load(".json", R"({"b": 1.0, "a": 1, "big": 123456789012345678901,)"
                          R"( "neg": -99999999999999999999, "b": 2})"),
            "{'b': 2, 'a': 1, 'big': 123456789012345678901, "
            "'neg': -99999999999999999999}");
  EXPECT_EQ(Load(".json", R"({"u": 18446744073709551615, "n": null})"),
            "{'u': 18446744073709551615, 'n': None}");
}

TEST(JsonContextTest, BadJsonIsOneError) {
  std::string e = Load(".json", R"({"a": 1)");
  EXPECT_EQ(e.rfind("ContextError: cannot load context '", 0), 0u) << e;
}

TEST(YamlContextTest, ImplicitTypesAsPyYaml) {
  EXPECT_EQ(Load(".yaml",
                 "hex: 0x1f\noct: 017\nf: 1e3\nf2: 1.5e+3\ni: 1_000\n"
                 "b: 0b101\nsexa: 190:20:30\nyes: on\nno: Off\nn: ~\n"
                 "s: '1'\nbig: 123456789012345678901234567890\n"
                 "neg: -0x10\ninf: -.inf\n"),
            "{'hex': 31, 'oct': 15, 'f': '1e3', 'f2': 1500.0, 'i': 1000, "
            "'b': 5, 'sexa': 685230, True: True, False: False, 'n': None, "
            "'s': '1', 'big': 123456789012345678901234567890, 'neg': -16, "
            "'inf': -inf}");
}

TEST(YamlContextTest, MergeKeys) {
  EXPECT_EQ(Load(".yaml",
                 "base: &b {x: 1, y: 2}\nm: {<<: *b, y: 3}\n"
                 "m2: {<<: [{x: 1}, {x: 2, z: 5}], w: 0}\n"),
            "{'base': {'x': 1, 'y': 2}, 'm': {'x': 1, 'y': 3}, "
            "'m2': {'x': 1, 'z': 5, 'w': 0}}");
}

TEST(YamlContextTest, WhatSafeLoadRefusesIsOneError) {
  auto ends = [](const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() &&
           s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  std::string e = Load(".yaml", "? [1, 2]\n: x\n");
  EXPECT_TRUE(ends(e, "': found unhashable key")) << e;
  e = Load(".yaml", "a: 1\n---\nb: 2\n");
  EXPECT_TRUE(ends(e, "': expected a single document in the stream")) << e;
  e = Load(".yaml", "a: !!python/object:os.system x\n");
  EXPECT_TRUE(ends(e, "could not determine a constructor for the tag "
                      "'tag:yaml.org,2002:python/object:os.system'"))
      << e;
}

}  // namespace
}  // namespace kb::render
