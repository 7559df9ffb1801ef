// The crawler against real servers on loopback, started by the tests: `git daemon`, smart
// HTTP through `git http-backend`, and a scripted HTTP server (tests/servers/fixture_server.py).
#include <gtest/gtest.h>

#include <chrono>

#include "crawler/crawler.h"
#include "crawler/prober.h"
#include "tests/cpp/test_support.h"

namespace tritonpile::crawler {
namespace {

using tritonpile::testing::free_port;
using tritonpile::testing::ServerProcess;
using tritonpile::testing::shell;
using tritonpile::testing::TempDir;
using tritonpile::testing::wait_for_port;
using tritonpile::testing::write_file;

const std::string kServerScript = std::string(TRITONPILE_SOURCE_DIR) + "/tests/servers/fixture_server.py";

class Remotes : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "served";
    git("init -q --bare -b main " + (root_ / "ops.git").string());
    git("init -q -b main " + work().string());
    git("-C " + work().string() + " config user.email t@t");
    git("-C " + work().string() + " config user.name t");
    git("-C " + work().string() + " remote add origin " + (root_ / "ops.git").string());
    commit("ops/add.py", "def add(x, y):\n    return x + y\n", "one");
    git("-C " + work().string() + " push -q origin main");
  }

  std::filesystem::path work() const { return dir_.path() / "work"; }

  static void git(const std::string& args) { ASSERT_EQ(shell("git " + args + " >/dev/null 2>&1"), 0) << args; }

  void commit(const std::string& path, const std::string& text, const std::string& message) {
    write_file(work() / path, text);
    git("-C " + work().string() + " add -A");
    git("-C " + work().string() + " commit -q -m " + message);
  }

  void push(const std::string& refspec = "main") { git("-C " + work().string() + " push -q -f origin " + refspec); }

  CrawlOptions options() const {
    CrawlOptions o;
    o.cache_dir = (dir_.path() / "cache").string();
    return o;
  }

  static SourceSpec git_source(const std::string& url, const std::string& ref = "") {
    SourceSpec spec;
    spec.name = "ops";
    spec.kind = "git";
    spec.url = url;
    spec.ref = ref;
    return spec;
  }

  std::unique_ptr<ServerProcess> start_git_daemon(int* port) {
    *port = free_port();
    auto daemon = std::make_unique<ServerProcess>(
        std::vector<std::string>{"git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
                                 "--port=" + std::to_string(*port), "--base-path=" + root_.string(), root_.string()},
        false);
    EXPECT_TRUE(wait_for_port(*port, 10000)) << "git daemon did not start";
    return daemon;
  }

  TempDir dir_;
  std::filesystem::path root_;
};

std::vector<std::string> paths(const Snapshot& snapshot) {
  std::vector<std::string> out;
  for (const auto& f : snapshot.files) out.push_back(f.path);
  return out;
}

TEST_F(Remotes, GitDaemonFirstCloneThenIncrementalFetchOfANewCommit) {
  int port = 0;
  auto daemon = start_git_daemon(&port);
  auto spec = git_source("git://127.0.0.1:" + std::to_string(port) + "/ops.git");
  auto first = crawl_source(spec, options());
  ASSERT_TRUE(first) << first.status().message();
  EXPECT_EQ(paths(*first), std::vector<std::string>{"ops/add.py"});
  commit("ops/mul.py", "def mul(x, y):\n    return x * y\n", "two");
  push();
  auto second = crawl_source(spec, options());
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_EQ(paths(*second), (std::vector<std::string>{"ops/add.py", "ops/mul.py"}));
  EXPECT_NE(second->commit, first->commit);
  auto options_with_known = options();
  options_with_known.unchanged_commit = second->commit;
  auto third = crawl_source(spec, options_with_known);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->unchanged);
}

TEST_F(Remotes, MovedBranchForcePushAndDeletedRef) {
  int port = 0;
  auto daemon = start_git_daemon(&port);
  std::string url = "git://127.0.0.1:" + std::to_string(port) + "/ops.git";
  git("-C " + work().string() + " checkout -q -b feature");
  commit("ops/feature.py", "def f(x):\n    return x\n", "feature");
  push("feature");
  auto feature = crawl_source(git_source(url, "feature"), options());
  ASSERT_TRUE(feature) << feature.status().message();
  EXPECT_EQ(paths(*feature).size(), 2u);

  // Moved: the branch gains a commit.
  commit("ops/feature2.py", "def g(x):\n    return x\n", "moved");
  push("feature");
  auto moved = crawl_source(git_source(url, "feature"), options());
  ASSERT_TRUE(moved) << moved.status().message();
  EXPECT_EQ(paths(*moved).size(), 3u);

  // Force-push: the branch is rewritten to a history without those commits.
  git("-C " + work().string() + " reset -q --hard main");
  commit("ops/rewritten.py", "def h(x):\n    return x\n", "rewritten");
  push("+feature");
  auto rewritten = crawl_source(git_source(url, "feature"), options());
  ASSERT_TRUE(rewritten) << rewritten.status().message();
  EXPECT_EQ(paths(*rewritten), (std::vector<std::string>{"ops/add.py", "ops/rewritten.py"}));

  // Deleted: the ref is gone upstream; the crawl fails saying so.
  git("-C " + work().string() + " push -q origin :feature");
  auto deleted = crawl_source(git_source(url, "feature"), options());
  ASSERT_FALSE(deleted);
  EXPECT_NE(deleted.status().message().find("'feature' is not on the remote"), std::string::npos)
      << deleted.status().message();
}

TEST_F(Remotes, UnreachableHostFailsWithTheUrl) {
  auto spec = git_source("git://127.0.0.1:" + std::to_string(free_port()) + "/ops.git");
  auto result = crawl_source(spec, options());
  ASSERT_FALSE(result);
  EXPECT_NE(result.status().message().find("source 'ops'"), std::string::npos);
  EXPECT_NE(result.status().message().find("127.0.0.1"), std::string::npos) << result.status().message();
  EXPECT_FALSE(probe_source(spec, options()).empty());
}

TEST_F(Remotes, SmartHttpThroughGitHttpBackend) {
  ServerProcess server({"python3", kServerScript, root_.string()}, true);
  ASSERT_GT(server.port(), 0);
  auto spec = git_source("http://127.0.0.1:" + std::to_string(server.port()) + "/git/ops.git");
  EXPECT_EQ(probe_source(spec, options()), "");
  auto first = crawl_source(spec, options());
  ASSERT_TRUE(first) << first.status().message();
  commit("ops/sub.py", "def sub(x, y):\n    return x - y\n", "three");
  push();
  auto second = crawl_source(spec, options());
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_EQ(paths(*second), (std::vector<std::string>{"ops/add.py", "ops/sub.py"}));
}

TEST_F(Remotes, UrlRewriteFetchesFromTheMirrorHost) {
  int port = 0;
  auto daemon = start_git_daemon(&port);
  auto spec = git_source("https://github.invalid/team/ops.git");
  auto opts = options();
  opts.url_rewrites = {{"git://127.0.0.1:" + std::to_string(port) + "/", "https://github.invalid/team/"}};
  auto snapshot = crawl_source(spec, opts);
  ASSERT_TRUE(snapshot) << snapshot.status().message();
  EXPECT_EQ(paths(*snapshot), std::vector<std::string>{"ops/add.py"});
}

class HttpFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"python3", kServerScript, dir_.str()}, true);
    ASSERT_GT(server_->port(), 0);
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  int hits(const std::string& path) {
    SourceSpec spec = http_source("/_hits?path=" + path);
    CrawlOptions o;
    auto snapshot = crawl_source(spec, o);
    return snapshot ? std::stoi(*snapshot->files[0].content) : -1;
  }

  void fail_next(const std::string& path, int times, int status) {
    auto done = crawl_source(http_source("/_fail?path=" + path + "&times=" + std::to_string(times) +
                                         "&status=" + std::to_string(status)),
                             {});
    ASSERT_TRUE(done) << done.status().message();
  }

  SourceSpec http_source(const std::string& path) const {
    SourceSpec spec;
    spec.name = "web";
    spec.kind = "http";
    spec.url = url(path);
    return spec;
  }

  static CrawlOptions fast() {
    CrawlOptions o;
    o.http.backoff_seconds = 0.05;
    o.http.total_timeout_ms = 2000;
    return o;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HttpFiles, SecondFetchIsConditionalAndCostsA304) {
  auto first = crawl_source(http_source("/ok.py"), fast());
  ASSERT_TRUE(first) << first.status().message();
  ASSERT_EQ(first->files.size(), 1u);
  EXPECT_EQ(first->files[0].path, "ok.py");
  EXPECT_TRUE(first->files[0].content.has_value());
  EXPECT_EQ(first->http.etag, "\"v1\"");

  auto options = fast();
  options.previous_http = first->http;
  options.is_known_blob = [&](const std::string& id) { return id == first->files[0].blob_id; };
  auto second = crawl_source(http_source("/ok.py"), options);
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_EQ(second->commit, first->commit);
  EXPECT_FALSE(second->files[0].content.has_value()) << "a 304 carries no body";
  EXPECT_EQ(hits("/ok.py"), 2);
}

TEST_F(HttpFiles, NotFoundIsAnErrorNamingStatusAndUrl) {
  auto result = crawl_source(http_source("/missing.py"), fast());
  ASSERT_FALSE(result);
  EXPECT_NE(result.status().message().find("HTTP 404"), std::string::npos) << result.status().message();
  EXPECT_NE(result.status().message().find("/missing.py"), std::string::npos);
}

TEST_F(HttpFiles, TooManyRequestsWaitsForRetryAfterThenSucceeds) {
  fail_next("/ok.py", 1, 429);
  auto start = std::chrono::steady_clock::now();
  auto result = crawl_source(http_source("/ok.py"), fast());
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result) << result.status().message();
  EXPECT_GE(waited, 0.9) << "Retry-After: 1 was not honoured";
  EXPECT_EQ(hits("/ok.py"), 2);
}

TEST_F(HttpFiles, ServiceUnavailableIsRetriedThenReported) {
  fail_next("/ok.py", 2, 503);
  auto options = fast();
  options.http.max_retry_after_seconds = 0.05;
  auto recovered = crawl_source(http_source("/ok.py"), options);
  ASSERT_TRUE(recovered) << recovered.status().message();
  auto down = crawl_source(http_source("/always503.py"), options);
  ASSERT_FALSE(down);
  EXPECT_NE(down.status().message().find("HTTP 503"), std::string::npos);
  EXPECT_EQ(hits("/always503.py"), options.http.max_retries + 1);
}

TEST_F(HttpFiles, RedirectIsFollowed) {
  auto result = crawl_source(http_source("/redirect.py"), fast());
  ASSERT_TRUE(result) << result.status().message();
  EXPECT_NE(result->files[0].content->find("def double"), std::string::npos);
}

TEST_F(HttpFiles, OversizeSlowAndHtmlAreRefusedWithAReason) {
  auto huge = crawl_source(http_source("/huge.py"), fast());
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.status().message().find("larger than"), std::string::npos) << huge.status().message();
  auto options = fast();
  options.http.total_timeout_ms = 500;
  auto slow = crawl_source(http_source("/slow.py?seconds=3"), options);
  ASSERT_FALSE(slow);
  EXPECT_NE(slow.status().message().find("/slow.py"), std::string::npos) << slow.status().message();
  auto html = crawl_source(http_source("/html.py"), fast());
  ASSERT_FALSE(html);
  EXPECT_NE(html.status().message().find("HTML"), std::string::npos);
}

TEST_F(HttpFiles, NotebookCodeCellsBecomeOneModuleWithCellProvenance) {
  auto result = crawl_source(http_source("/notebook.ipynb"), fast());
  ASSERT_TRUE(result) << result.status().message();
  const auto& file = result->files[0];
  EXPECT_EQ(file.path, "notebook.ipynb");
  EXPECT_EQ(*file.content, "# %matplotlib inline\nimport torch\n\n\ndef triple(x):\n    return x * 3\n");
  EXPECT_EQ(file.provenance, R"({"notebook_cells":[{"cell":1,"line":1},{"cell":2,"line":5}]})");
}

}  // namespace
}  // namespace tritonpile::crawler
