#include <gtest/gtest.h>

#include <algorithm>

#include "crawler/crawler.h"
#include "crawler/git_reader.h"
#include "crawler/license_detector.h"
#include "crawler/path_glob.h"
#include "crawler/source_spec.h"
#include "tests/cpp/test_support.h"

namespace tritonpile::crawler {
namespace {

using tritonpile::testing::shell;
using tritonpile::testing::TempDir;
using tritonpile::testing::write_file;

SourceSpec local_spec(const std::string& name, const std::string& path) {
  SourceSpec spec;
  spec.name = name;
  spec.kind = "local";
  spec.url = spec.local_path = path;
  return spec;
}

SourceSpec git_spec(const std::string& name, const std::string& url) {
  SourceSpec spec;
  spec.name = name;
  spec.kind = "git";
  spec.url = url;
  return spec;
}

StatusOr<SourcesFile> load(const TempDir& dir, const std::string& text) {
  write_file(dir.path() / "sources.json", text);
  return load_sources_file((dir.path() / "sources.json").string());
}

TEST(SourcesFile, LoadsSourcesAndResolvesLocalPaths) {
  TempDir dir;
  auto file = load(dir, R"({"version": 1, "sources": [
    {"name": "a", "kind": "local", "url": "kernels", "include": ["**/*.py"], "phase": 1},
    {"name": "b", "kind": "git", "url": "https://example.invalid/x.git", "enabled": false}]})");
  ASSERT_TRUE(file) << file.status().message();
  ASSERT_EQ(file->sources.size(), 2u);
  EXPECT_EQ(file->sources[0].local_path, (dir.path() / "kernels").string());
  EXPECT_EQ(file->sources[0].url, "kernels");
  EXPECT_EQ(file->sources[0].phase, 1);
  EXPECT_FALSE(file->sources[1].enabled);
}

TEST(SourcesFile, SyntaxErrorNamesFileLineAndColumn) {
  TempDir dir;
  auto file = load(dir, "{\"sources\": [\n  {\"name\": \"a\",,}\n]}");
  ASSERT_FALSE(file);
  EXPECT_NE(file.status().message().find("sources.json:2:"), std::string::npos) << file.status().message();
}

TEST(SourcesFile, UnknownKeyIsAnErrorAtItsLineAndColumn) {
  TempDir dir;
  auto file = load(dir, "{\"sources\": [\n  {\"name\": \"a\", \"kind\": \"local\", \"url\": \".\",\n   \"branch\": \"main\"}]}");
  ASSERT_FALSE(file);
  EXPECT_NE(file.status().message().find("sources.json:3:4: source 'a': unknown key 'branch'"), std::string::npos)
      << file.status().message();
}

TEST(SourcesFile, DuplicateNamesAreRefusedAtTheSecondName) {
  TempDir dir;
  auto file = load(dir, "{\"sources\": [{\"name\": \"a\", \"kind\": \"local\", \"url\": \".\"},\n"
                        "  {\"name\": \"a\", \"kind\": \"local\", \"url\": \".\"}]}");
  ASSERT_FALSE(file);
  EXPECT_NE(file.status().message().find("sources.json:2:4: source 'a' is listed twice"), std::string::npos)
      << file.status().message();
}

TEST(SourcesFile, BadGlobIsRefusedAtTheGlob) {
  TempDir dir;
  auto file = load(dir, "{\"sources\": [{\"name\": \"a\", \"kind\": \"local\", \"url\": \".\",\n"
                        "  \"include\": [\"ok/*.py\", \"src/[ab.py\"]}]}");
  ASSERT_FALSE(file);
  EXPECT_NE(file.status().message().find("sources.json:2:26:"), std::string::npos) << file.status().message();
  EXPECT_NE(file.status().message().find("unclosed"), std::string::npos);
}

TEST(SourcesFile, WrongTypesAndKindsNameTheSource) {
  TempDir dir;
  for (const char* source : {R"({"name": "a", "kind": "svn", "url": "."})", R"({"name": "a", "kind": "local"})",
                             R"({"name": "a", "kind": "local", "url": ".", "enabled": "yes"})",
                             R"({"name": "a", "kind": "http", "url": "ftp://x/y.py"})"}) {
    auto file = load(dir, std::string("{\"sources\": [") + source + "]}");
    ASSERT_FALSE(file) << source;
    EXPECT_NE(file.status().message().find("source 'a'"), std::string::npos) << file.status().message();
  }
}

TEST(SourcesFile, UrlRewritesUseTheLongestMatchingPrefix) {
  std::vector<UrlRewrite> rewrites = {{"file:///m/", "https://github.com/"}, {"git://x/", "https://github.com/a/"}};
  EXPECT_EQ(rewrite_url("https://github.com/a/b.git", rewrites), "git://x/b.git");
  EXPECT_EQ(rewrite_url("https://github.com/c/d.git", rewrites), "file:///m/c/d.git");
  EXPECT_EQ(rewrite_url("https://gitlab.com/c/d.git", rewrites), "https://gitlab.com/c/d.git");
}

TEST(License, CommonLicenceTextsAreRecognised) {
  EXPECT_EQ(detect_license(tritonpile::testing::read_file(std::string(TRITONPILE_SOURCE_DIR) + "/LICENSE")), "MIT");
  EXPECT_EQ(detect_license("Apache License\n  Version 2.0, January 2004\n"), "Apache-2.0");
  EXPECT_EQ(detect_license("Redistribution and use in source and binary forms, with or without\nmodification... "
                           "3. Neither the name of the copyright holder"), "BSD-3-Clause");
  EXPECT_EQ(detect_license("All rights reserved. Do not copy."), "");
  EXPECT_TRUE(is_license_file("LICENSE"));
  EXPECT_TRUE(is_license_file("License.md"));
  EXPECT_TRUE(is_license_file("COPYING"));
  EXPECT_FALSE(is_license_file("license_check.py"));
}

TEST(License, DetectedFromTheRootLicenceFileOfADirectoryOrRepository) {
  TempDir dir;
  write_file(dir.path() / "plain/LICENSE", "Apache License\nVersion 2.0\n");
  write_file(dir.path() / "plain/a.py", "x = 1\n");
  auto plain = crawl_source(local_spec("p", (dir.path() / "plain").string()), {});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->license, "Apache-2.0");
  ASSERT_EQ(shell("cd " + dir.str() + " && git init -q -b main repo && cd repo && cp " + TRITONPILE_SOURCE_DIR +
                  "/LICENSE . && echo 'x = 1' > a.py && git add -A && git -c user.email=t@t -c user.name=t "
                  "commit -qm one"),
            0);
  auto repo = crawl_source(local_spec("r", (dir.path() / "repo").string()), {});
  ASSERT_TRUE(repo) << repo.status().message();
  EXPECT_EQ(repo->license, "MIT");
  write_file(dir.path() / "none/a.py", "x = 1\n");
  EXPECT_EQ(crawl_source(local_spec("n", (dir.path() / "none").string()), {})->license, "");
}

TEST(PathGlob, StarStaysInASegmentAndDoubleStarSpansThem) {
  EXPECT_TRUE(glob_match("*.py", "a.py"));
  EXPECT_FALSE(glob_match("*.py", "x/a.py"));
  EXPECT_TRUE(glob_match("src/**/*.py", "src/a.py"));
  EXPECT_TRUE(glob_match("src/**/*.py", "src/x/y/a.py"));
  EXPECT_FALSE(glob_match("src/**/*.py", "tests/a.py"));
  EXPECT_TRUE(glob_match("**/test_*.py", "test_a.py"));
  EXPECT_TRUE(glob_match("ops/[a-c]*.py", "ops/add.py"));
  EXPECT_FALSE(glob_match("ops/[!a]*.py", "ops/add.py"));
}

TEST(LocalDirectory, ListsWantedPythonFilesAndCountsSkips) {
  TempDir dir;
  write_file(dir.path() / "src/a.py", "x = 1\n");
  write_file(dir.path() / "src/b.txt", "not python\n");
  write_file(dir.path() / "src/big.py", std::string(2 << 20, '#'));
  write_file(dir.path() / "src/bin.py", std::string("\0\1\2", 3));
  write_file(dir.path() / "src/latin1.py", "name = '\xe9t\xe9'\n");
  write_file(dir.path() / "src/caf\xe9.py", "x = 1\n");
  write_file(dir.path() / ".hidden/c.py", "y = 2\n");
  ASSERT_EQ(shell("ln -s /etc/passwd " + (dir.path() / "src/escape.py").string()), 0);
  SourceSpec spec = local_spec("d", dir.str());
  auto snapshot = crawl_source(spec, {});
  ASSERT_TRUE(snapshot) << snapshot.status().message();
  ASSERT_EQ(snapshot->files.size(), 1u);
  EXPECT_EQ(snapshot->files[0].path, "src/a.py");
  EXPECT_EQ(snapshot->files[0].blob_id, "7d4290a117a4ddcc11daae7ea675841033830c8f");  // git hash-object
  EXPECT_EQ(snapshot->skipped.too_large, 1);
  EXPECT_EQ(snapshot->skipped.binary, 1);
  EXPECT_EQ(snapshot->skipped.not_utf8, 2) << "a Latin-1 file and a Latin-1 path";
  EXPECT_EQ(snapshot->commit.rfind("dir:", 0), 0u);
}

// YAML comes along only where an include glob asks for YAML (configuration code reads at
// import); Python still needs no glob.
TEST(LocalDirectory, YamlOnlyByAGlobThatNamesIt) {
  TempDir dir;
  write_file(dir.path() / "pkg/ops.py", "x = 1\n");
  write_file(dir.path() / "pkg/backend/tune_configs.yaml", "mm:\n  - META: {}\n");
  write_file(dir.path() / "pkg/other.yml", "a: 1\n");
  SourceSpec spec = local_spec("d", dir.str());
  auto plain = crawl_source(spec, {});
  ASSERT_TRUE(plain) << plain.status().message();
  ASSERT_EQ(plain->files.size(), 1u);
  EXPECT_EQ(plain->files[0].path, "pkg/ops.py");

  spec.include = {"pkg/**", "pkg/**/*.py", "pkg/backend/*.yaml"};
  auto asked = crawl_source(spec, {});
  ASSERT_TRUE(asked) << asked.status().message();
  std::vector<std::string> paths;
  for (const auto& file : asked->files) paths.push_back(file.path);
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"pkg/backend/tune_configs.yaml", "pkg/ops.py"}))
      << "pkg/** alone asks for no YAML";
}

TEST(LocalDirectory, KnownBlobsAreListedWithoutContent) {
  TempDir dir;
  write_file(dir.path() / "a.py", "x = 1\n");
  SourceSpec spec = local_spec("d", dir.str());
  CrawlOptions options;
  options.is_known_blob = [](const std::string&) { return true; };
  auto snapshot = crawl_source(spec, options);
  ASSERT_TRUE(snapshot);
  ASSERT_EQ(snapshot->files.size(), 1u);
  EXPECT_FALSE(snapshot->files[0].content.has_value());
}

// Builds a repository with the git CLI, as a user's would be.
void make_repo(const TempDir& dir) {
  std::string cd = "cd " + dir.str() + " && ";
  ASSERT_EQ(shell(cd + "git init -q -b main repo && cd repo && git config user.email t@t && git config user.name t"), 0);
  write_file(dir.path() / "repo/ops/add.py", "def add(x, y):\n    return x + y\n");
  write_file(dir.path() / "repo/README.md", "readme\n");
  ASSERT_EQ(shell(cd + "cd repo && git add -A && git commit -qm one && git tag v1"), 0);
  write_file(dir.path() / "repo/ops/mul.py", "def mul(x, y):\n    return x * y\n");
  ASSERT_EQ(shell(cd + "cd repo && git add -A && git commit -qm two"), 0);
}

TEST(GitRepository, LocalRepositoryIsReadAtTheRequestedRef) {
  TempDir dir;
  make_repo(dir);
  std::string repo = (dir.path() / "repo").string();
  write_file(dir.path() / "repo/ops/uncommitted.py", "z = 3\n");
  SourceSpec spec = local_spec("r", repo);
  auto head = crawl_source(spec, {});
  ASSERT_TRUE(head) << head.status().message();
  EXPECT_EQ(head->files.size(), 2u) << "committed files only";
  spec.ref = "v1";
  auto tagged = crawl_source(spec, {});
  ASSERT_TRUE(tagged);
  ASSERT_EQ(tagged->files.size(), 1u);
  EXPECT_EQ(tagged->files[0].path, "ops/add.py");
  EXPECT_NE(tagged->commit, head->commit);
  spec.ref = "no-such-ref";
  auto missing = crawl_source(spec, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.status().message().find("no-such-ref"), std::string::npos);
}

TEST(GitRepository, MirrorIsClonedOnceThenFetchedIncrementally) {
  TempDir dir;
  make_repo(dir);
  SourceSpec spec = git_spec("remote", "file://" + (dir.path() / "repo").string());
  CrawlOptions options;
  options.cache_dir = (dir.path() / "cache").string();
  auto first = crawl_source(spec, options);
  ASSERT_TRUE(first) << first.status().message();
  EXPECT_EQ(first->files.size(), 2u);
  write_file(dir.path() / "repo/ops/sub.py", "def sub(x, y):\n    return x - y\n");
  ASSERT_EQ(shell("cd " + (dir.path() / "repo").string() + " && git add -A && git commit -qm three"), 0);
  auto second = crawl_source(spec, options);
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_EQ(second->files.size(), 3u);
  EXPECT_NE(second->commit, first->commit);
}

TEST(GitRepository, UnreachableRemoteFailsWithTheSourceName) {
  TempDir dir;
  SourceSpec spec = git_spec("gone", "file://" + dir.str() + "/nothing-here");
  CrawlOptions options;
  options.cache_dir = (dir.path() / "cache").string();
  auto result = crawl_source(spec, options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.status().message().find("source 'gone'"), std::string::npos) << result.status().message();
}

}  // namespace
}  // namespace tritonpile::crawler
