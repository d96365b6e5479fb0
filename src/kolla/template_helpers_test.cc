// The helpers registered in a real engine, rendering templates that use
// them through macros as upstream's images do.
#include "kolla/template_helpers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "kolla/test_support.h"

namespace kb::kolla {
namespace {

using testing::Str;
using testing::StrList;
using testing::TempDir;

using Sources = std::map<std::string, std::string>;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Renders `name` from `sources` with the helpers registered; errors come
// back as "Class: message".
class HelperEnv {
 public:
  explicit HelperEnv(std::map<std::string, std::string> sources,
                     HelperOptions opts = {}) {
    env_.SetLoader(tmpl::DictLoader(std::move(sources)));
    RegisterTemplateHelpers(env_, opts);
  }

  std::string Render(const std::string& name, const tmpl::Value& context) {
    auto t = env_.GetTemplate(name);
    if (!t.ok()) return t.error().error_class + ": " + t.error().message;
    auto out = env_.Render(*t.value(), context);
    if (!out.ok()) return out.error().error_class + ": " + out.error().message;
    return out.value();
  }

 private:
  tmpl::Environment env_;
};

tmpl::Value Context(
    std::initializer_list<std::pair<const char*, tmpl::Value>> items) {
  tmpl::Value ctx = tmpl::Value::NewDict();
  for (const auto& [k, v] : items) ctx.DictSet(k, v);
  return ctx;
}

constexpr char kB014[] =
    "{% set p = ['a', 'c'] %}{% set q = p %}"
    "1:{{ p | customizable('packages') }} 2:{{ p | customizable('packages') }}"
    " q:{{ q }}|{{ missing | customizable('packages') }}|"
    "{{ p2 | customizable('packages') }}";

TEST(TemplateHelpersTest, B014CustomizableChangesSharedListInPlace) {
  HelperEnv env(Sources{{"t.j2", kB014}});
  tmpl::Value ctx = Context({{"image_name", Str("my-img")},
                             {"my_img_packages_append", StrList({"b"})},
                             {"my_img_packages_remove", StrList({"c", "zz"})},
                             {"p2", StrList({"x"})}});
  EXPECT_EQ(env.Render("t.j2", ctx),
            "1:['a', 'b'] 2:['a', 'b', 'b'] q:['a', 'b', 'b']||['x', 'b']");
}

TEST(TemplateHelpersTest, B014OverrideReturnsOverrideList) {
  HelperEnv env(Sources{{"t.j2", kB014}});
  tmpl::Value ctx = Context({{"image_name", Str("my-img")},
                             {"my_img_packages_override", StrList({"O"})},
                             {"my_img_packages_append", StrList({"b"})},
                             {"p2", StrList({"x"})}});
  EXPECT_EQ(env.Render("t.j2", ctx), "1:['O'] 2:['O'] q:['a', 'c']||['O']");
}

TEST(TemplateHelpersTest, StringThroughCustomizableWithAppendFails) {
  HelperEnv env(Sources{{"t.j2", "{{ 'vim' | customizable('packages') }}"}});
  tmpl::Value ctx = Context(
      {{"image_name", Str("i")}, {"i_packages_append", StrList({"b"})}});
  EXPECT_EQ(env.Render("t.j2", ctx),
            "AttributeError: 'str' object has no attribute 'extend'");
}

TEST(TemplateHelpersTest, RaiseErrorFailsTheRender) {
  HelperEnv env(Sources{{"t.j2", "a{{ raise_error('no user ' + name) }}b"}});
  EXPECT_EQ(env.Render("t.j2", Context({{"name", Str("nova")}})),
            "Exception: no user nova");
}

// The corpus's own macros.j2, so the whitespace around each helper's
// output is upstream's.
class CorpusMacrosTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = testing::CorpusDir();
    if (corpus_.empty()) GTEST_SKIP() << "no shared kolla corpus";
    macros_ = ReadFile(corpus_ + "/kolla/docker/macros.j2");
    opts_.default_repos_yaml = corpus_ + "/kolla/template/repos.yaml";
  }

  std::string corpus_;
  std::string macros_;
  HelperOptions opts_;
};

TEST_F(CorpusMacrosTest, RpmReposAndPackagesThroughMacros) {
  HelperEnv env(
      Sources{
          {"macros.j2", macros_},
          {"t.j2",
           "{% import 'macros.j2' as macros with context %}A\n"
           "{{ macros.enable_extra_repos(['crb', 'epel']) }}\nB\n"
           "{{ macros.install_packages(['vim'] | customizable('packages')) }}\n"
           "C"}},
      opts_);
  tmpl::Value ctx = Context({{"base_package_type", Str("rpm")},
                             {"base_distro", Str("rocky")},
                             {"base_arch", Str("x86_64")},
                             {"distro_package_manager", Str("dnf")},
                             {"clean_package_cache", tmpl::Value::Bool(true)},
                             {"image_name", Str("cron")},
                             {"cron_packages_append", StrList({"less"})}});
  EXPECT_EQ(
      env.Render("t.j2", ctx),
      "A\n\n\nRUN dnf config-manager --enable crb || true && grep -rlF "
      "'[epel]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f && echo "
      "'[epel]' >/etc/yum.repos.d/epel.repo && echo 'name=epel' "
      ">>/etc/yum.repos.d/epel.repo && echo 'enabled=1' "
      ">>/etc/yum.repos.d/epel.repo && echo "
      "'gpgkey=https://dl.fedoraproject.org/pub/epel/"
      "RPM-GPG-KEY-EPEL-$releasever' >>/etc/yum.repos.d/epel.repo && echo "
      "'metalink=https://mirrors.fedoraproject.org/metalink?repo=epel-"
      "$releasever&arch=$basearch&infra=$infra&content=$contentdir' "
      ">>/etc/yum.repos.d/epel.repo\n\n\nB\nRUN dnf -y install vim less \\\n"
      "    && dnf clean all && rm -rf /var/cache/dnf\nC");
}

TEST_F(CorpusMacrosTest, DebPackagesAndDisableThroughMacros) {
  HelperEnv env(
      Sources{{"macros.j2", macros_},
              {"t.j2",
               "{% import 'macros.j2' as macros with context %}"
               "{{ macros.install_packages(['vim', 'https://e.test/x.deb'] | "
               "customizable('packages')) }}|"
               "{{ macros.disable_extra_repos(['grafana']) }}|"}},
      opts_);
  tmpl::Value ctx = Context({{"base_package_type", Str("deb")},
                             {"base_distro", Str("debian")},
                             {"base_arch", Str("x86_64")},
                             {"distro_package_manager", Str("apt")},
                             {"clean_package_cache", tmpl::Value::Bool(true)},
                             {"image_name", Str("cron")},
                             {"cron_packages_append", StrList({"less"})}});
  EXPECT_EQ(env.Render("t.j2", ctx),
            "RUN apt-get --error-on=any update && apt-get -y install "
            "--no-install-recommends vim less && apt-get clean && rm -rf "
            "/var/lib/apt/lists/* && curl --location https://e.test/x.deb -o "
            "x.deb && dpkg -i x.deb && rm -rf x.deb|\n\n\n\n|");
}

TEST_F(CorpusMacrosTest, ConfigureUserOfUnknownUserRaises) {
  HelperEnv env(Sources{{"macros.j2", macros_},
                        {"t.j2",
                         "{% import 'macros.j2' as macros with context %}"
                         "{{ macros.configure_user(name='nobody') }}"}},
                opts_);
  EXPECT_EQ(env.Render("t.j2", Context({{"users", tmpl::Value::NewDict()}})),
            "Exception: Failed to find configuration for 'nobody' user. Try "
            "specifying 'nobody-user' config section.");
}

TEST(TemplateHelpersTest, ReposFileIsReadOncePerEnvironment) {
  TempDir dir;
  HelperOptions opts;
  opts.default_repos_yaml =
      dir.Write("repos.yaml", "rpm:\n  crb: {distro: true, name: crb}\n");
  HelperEnv env(Sources{{"t.j2", "{{ handle_repos(['crb'], 'enable') }}"}},
                opts);
  tmpl::Value ctx = Context({{"base_package_type", Str("rpm")},
                             {"base_distro", Str("rocky")},
                             {"base_arch", Str("x86_64")}});
  const char* want = "RUN dnf config-manager --enable crb || true";
  EXPECT_EQ(env.Render("t.j2", ctx), want);
  std::filesystem::remove(opts.default_repos_yaml);
  EXPECT_EQ(env.Render("t.j2", ctx), want);
}

TEST(TemplateHelpersTest, OverrideFromOptionsOrContext) {
  TempDir dir;
  HelperOptions opts;
  opts.default_repos_yaml =
      dir.Write("repos.yaml", "rpm:\n  crb: {distro: true, name: crb}\n");
  opts.repos_yaml =
      dir.Write("opts.yaml", "rpm:\n  crb: {distro: true, name: crb-opt}\n");
  std::string ctx_path =
      dir.Write("ctx.yaml", "rpm:\n  crb: {distro: true, name: crb-ctx}\n");
  HelperEnv env(Sources{{"t.j2", "{{ handle_repos(['crb'], 'disable') }}"}},
                opts);
  tmpl::Value ctx = Context({{"base_package_type", Str("rpm")},
                             {"base_distro", Str("rocky")},
                             {"base_arch", Str("x86_64")},
                             {"repos_yaml", tmpl::Value::None()}});
  EXPECT_EQ(env.Render("t.j2", ctx),
            "RUN dnf config-manager --disable crb-opt || true");
  ctx.DictSet("repos_yaml", tmpl::Value::Str(ctx_path));
  EXPECT_EQ(env.Render("t.j2", ctx),
            "RUN dnf config-manager --disable crb-ctx || true");
}

TEST(TemplateHelpersTest, HandleReposErrorsFailTheRender) {
  TempDir dir;
  HelperOptions opts;
  opts.default_repos_yaml = dir.path() + "/missing.yaml";
  HelperEnv env(Sources{{"list.j2", "{{ handle_repos(['crb'], 'enable') }}"},
                        {"str.j2", "{{ handle_repos('crb', 'enable') }}"}},
                opts);
  tmpl::Value ctx = Context({{"base_package_type", Str("rpm")}});
  EXPECT_EQ(env.Render("list.j2", ctx),
            "FileNotFoundError: [Errno 2] No such file or directory: '" +
                opts.default_repos_yaml + "'");
  EXPECT_EQ(env.Render("str.j2", ctx),
            "TypeError: First argument should be a list of repositories");
}

}  // namespace
}  // namespace kb::kolla
