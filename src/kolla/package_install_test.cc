#include "kolla/package_install.h"

#include <gtest/gtest.h>

#include "kolla/test_support.h"

namespace kb::kolla {
namespace {

using testing::FakeContext;
using testing::RaisedBy;
using testing::Str;
using testing::StrList;

TEST(DebianPackageInstallTest, RegularPackagesWithClean) {
  EXPECT_EQ(DebianPackageInstall({"curl", "gnupg"}, true),
            "apt-get --error-on=any update && apt-get -y install "
            "--no-install-recommends curl gnupg && apt-get clean && "
            "rm -rf /var/lib/apt/lists/*");
}

TEST(DebianPackageInstallTest, RegularPackagesWithoutClean) {
  EXPECT_EQ(DebianPackageInstall({"curl"}, false),
            "apt-get --error-on=any update && apt-get -y install "
            "--no-install-recommends curl");
}

TEST(DebianPackageInstallTest, UrlPackagesAreFetchedInstalledAndRemoved) {
  EXPECT_EQ(DebianPackageInstall({"https://example.test/pool/a_1.deb", "vim",
                                  "http://x.test/b.deb"},
                                 true),
            "apt-get --error-on=any update && apt-get -y install "
            "--no-install-recommends vim && apt-get clean && "
            "rm -rf /var/lib/apt/lists/* && "
            "curl --location https://example.test/pool/a_1.deb -o a_1.deb && "
            "dpkg -i a_1.deb && rm -rf a_1.deb && "
            "curl --location http://x.test/b.deb -o b.deb && dpkg -i b.deb && "
            "rm -rf b.deb");
}

TEST(DebianPackageInstallTest, OnlyUrlsSkipAptGet) {
  EXPECT_EQ(DebianPackageInstall({"https://e.test/c.deb"}, true),
            "curl --location https://e.test/c.deb -o c.deb && dpkg -i c.deb "
            "&& rm -rf c.deb");
}

TEST(DebianPackageInstallTest, NoPackagesGiveNothing) {
  EXPECT_EQ(DebianPackageInstall({}, true), "");
}

TEST(DebianPackageInstallGlobalTest, BindsArgumentsLikePython) {
  FakeContext ctx;
  tmpl::CallArgs args;
  args.args.push_back(StrList({"vim"}));
  args.kwargs.emplace_back("clean_package_cache", tmpl::Value::Bool(false));
  EXPECT_EQ(DebianPackageInstallGlobal(ctx, args).AsStr(),
            "apt-get --error-on=any update && apt-get -y install "
            "--no-install-recommends vim");

  tmpl::CallArgs defaults;
  defaults.args.push_back(StrList({"vim"}));
  EXPECT_EQ(DebianPackageInstallGlobal(ctx, defaults).AsStr(),
            "apt-get --error-on=any update && apt-get -y install "
            "--no-install-recommends vim && apt-get clean && "
            "rm -rf /var/lib/apt/lists/*");
}

TEST(DebianPackageInstallGlobalTest, NonStringItemFailsLikeUpstream) {
  FakeContext ctx;
  tmpl::CallArgs args;
  args.args.push_back(tmpl::Value::NewList({tmpl::Value::Int(3)}));
  EXPECT_EQ(RaisedBy([&] { DebianPackageInstallGlobal(ctx, args); }),
            "AttributeError: 'int' object has no attribute 'startswith'");
}

TEST(DebianPackageInstallGlobalTest, TooManyArguments) {
  FakeContext ctx;
  tmpl::CallArgs args;
  args.args = {StrList({}), tmpl::Value::Bool(true), Str("x")};
  EXPECT_EQ(RaisedBy([&] { DebianPackageInstallGlobal(ctx, args); }),
            "TypeError: debian_package_install() takes from 1 to 2 "
            "positional arguments but 3 were given");
}

}  // namespace
}  // namespace kb::kolla
