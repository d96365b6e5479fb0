#include "graph/render.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "util/fs.h"

namespace fs = std::filesystem;

namespace kb::graph {
namespace {

TEST(MergeOverridesTest, OnlyTheLaterExtendsStatementIsRemoved) {
  std::vector<std::pair<std::string, int>> origins;
  std::string merged = MergeOverrides(
      {{"o1.j2",
        "{% extends parent_template %}\n"
        "{% block cron_footer %}RUN echo footer1{% endblock %}\n"},
       {"o4.j2",
        "{% extends parent_template %}\n"
        "{% block cron_header %}{% set msg = \"this extends cron\" %}\n"
        "RUN echo {{ msg }}\n"
        "{% endblock %}\n"}},
      &origins);
  EXPECT_EQ(merged,
            "{% extends parent_template %}\n"
            "{% block cron_footer %}RUN echo footer1{% endblock %}\n"
            "{% block cron_header %}{% set msg = \"this extends cron\" %}\n"
            "RUN echo {{ msg }}\n"
            "{% endblock %}\n");
  ASSERT_EQ(origins.size(), 5u);
  EXPECT_EQ(origins[2], (std::pair<std::string, int>{"o4.j2", 2}));
  EXPECT_EQ(origins[4], (std::pair<std::string, int>{"o4.j2", 4}));
}

TEST(MergeOverridesTest, ASingleFileIsKeptWhole) {
  std::string text = "{% extends parent_template %}\n{% block b %}{% endblock %}";
  EXPECT_EQ(MergeOverrides({{"a.j2", text}}, nullptr), text);
}

class RendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = util::MakeTempDir("kb-render-");
    fs::create_directories(dir_ + "/docker/cron");
    Write("docker/macros.j2",
          "{% macro hello(who) -%}hello {{ who }}{%- endmacro %}\n");
    Write("docker/cron/Dockerfile.j2",
          "FROM {{ namespace }}/{{ image_prefix }}base:{{ tag }}\n"
          "{% import \"macros.j2\" as macros with context %}\n"
          "{% block cron_header %}{% endblock %}\n"
          "{% set cron_packages = ['cron'] %}\n"
          "RUN {{ macros.hello(image_name) }} {{ cron_packages | "
          "customizable('packages') | join(' ') }}\n");
    settings_.template_dirs = {dir_ + "/docker"};
    settings_.values.namespace_ = "kolla";
    settings_.values.tag = "t";
    settings_.default_repos_yaml = dir_ + "/repos.yaml";
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ + "/" + rel) << text;
  }
  Image MakeImage() {
    Image img;
    img.name = "cron";
    img.path = dir_ + "/docker/cron";
    img.template_path = "cron/Dockerfile.j2";
    return img;
  }
  std::string dir_;
  RenderSettings settings_;
};

TEST_F(RendererTest, RendersWithMacros) {
  RenderError err;
  auto r = Renderer::Create(settings_, &err);
  ASSERT_TRUE(r) << err.text;
  Image img = MakeImage();
  auto e = r->Render(&img);
  ASSERT_FALSE(e) << e->text;
  EXPECT_EQ(img.dockerfile, "FROM kolla/base:t\n\n\n\nRUN hello cron cron");
}

TEST_F(RendererTest, OverridesSeeTheBaseAsParentTemplate) {
  Write("o1.j2",
        "{% extends parent_template %}\n"
        "{% set cron_packages_append = ['logrotate'] %}\n"
        "{% block cron_header %}RUN echo one{% endblock %}\n");
  Write("o2.j2",
        "{% extends parent_template %}\n"
        "{% block cron_footer %}{% endblock %}\n");
  settings_.template_overrides = {dir_ + "/o1.j2", dir_ + "/o2.j2"};
  RenderError err;
  auto r = Renderer::Create(settings_, &err);
  ASSERT_TRUE(r) << err.text;
  Image img = MakeImage();
  auto e = r->Render(&img);
  ASSERT_FALSE(e) << e->text;
  EXPECT_EQ(img.dockerfile,
            "FROM kolla/base:t\n\nRUN echo one\n\nRUN hello cron cron "
            "logrotate");
}

TEST_F(RendererTest, ErrorsNameTheTemplateAndLine) {
  Write("docker/cron/Dockerfile.j2",
        "FROM x\nRUN echo {{ nosuch.attr }}\n");
  RenderError err;
  auto r = Renderer::Create(settings_, &err);
  ASSERT_TRUE(r);
  Image img = MakeImage();
  auto e = r->Render(&img);
  ASSERT_TRUE(e);
  EXPECT_NE(e->text.find("cron/Dockerfile.j2:2:"), std::string::npos)
      << e->text;
  EXPECT_NE(e->text.find("'nosuch' is undefined"), std::string::npos)
      << e->text;
}

TEST_F(RendererTest, OverrideErrorsPointAtTheirOwnFile) {
  Write("o1.j2", "{% extends parent_template %}\n");
  Write("o2.j2",
        "{% extends parent_template %}\n"
        "{% block cron_header %}\n{% if x %}\n{% endblock %}\n");
  settings_.template_overrides = {dir_ + "/o1.j2", dir_ + "/o2.j2"};
  RenderError err;
  EXPECT_FALSE(Renderer::Create(settings_, &err));
  EXPECT_NE(err.text.find("o2.j2:"), std::string::npos) << err.text;
}

}  // namespace
}  // namespace kb::graph
