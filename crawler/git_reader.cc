#include "crawler/git_reader.h"

#include <git2.h>

#include <filesystem>
#include <memory>

#include "crawler/crawler.h"
#include "crawler/license_detector.h"
#include "crawler/utf8.h"

namespace tritonpile::crawler {
namespace {

// Keeps libgit2 initialised for the duration of a call; init/shutdown are reference counted.
struct LibGit2 {
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() { git_libgit2_shutdown(); }
};

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using Repo = std::unique_ptr<git_repository, Freer<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, Freer<git_remote, git_remote_free>>;
using Object = std::unique_ptr<git_object, Freer<git_object, git_object_free>>;
using Tree = std::unique_ptr<git_tree, Freer<git_tree, git_tree_free>>;
using Blob = std::unique_ptr<git_blob, Freer<git_blob, git_blob_free>>;
using Odb = std::unique_ptr<git_odb, Freer<git_odb, git_odb_free>>;

Status libgit2_error(const std::string& step) {
  const ::git_error* e = git_error_last();
  return Status::error(step + ": " + (e && e->message ? e->message : "unknown libgit2 error"));
}

std::string mirror_directory_name(const std::string& source_name) {
  std::string out;
  for (char c : source_name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out + ".git";
}

StatusOr<Object> resolve_commit(git_repository* repo, const std::string& ref) {
  std::vector<std::string> candidates;
  if (ref.empty()) {
    candidates = {"HEAD"};
  } else {
    candidates = {ref, "refs/heads/" + ref, "refs/tags/" + ref, "refs/remotes/origin/" + ref};
  }
  for (const auto& candidate : candidates) {
    git_object* object = nullptr;
    if (git_revparse_single(&object, repo, candidate.c_str()) != 0) continue;
    Object holder(object);
    git_object* commit = nullptr;
    if (git_object_peel(&commit, object, GIT_OBJECT_COMMIT) != 0) continue;
    return Object(commit);
  }
  return Status::error("ref '" + (ref.empty() ? std::string("HEAD") : ref) + "' not found");
}

struct WalkState {
  const SourceSpec* spec;
  const CrawlOptions* options;
  git_repository* repo;
  git_odb* odb;
  Snapshot* snapshot;
};

int visit_entry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  std::string path = std::string(root) + git_tree_entry_name(entry);
  if (git_tree_entry_type(entry) == GIT_OBJECT_COMMIT) {  // a submodule: recorded, never followed
    state->snapshot->submodules.push_back({path, git_oid_tostr_s(git_tree_entry_id(entry))});
    return 0;
  }
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) return 0;  // symlinks are not followed
  if (root[0] == '\0' && state->snapshot->license.empty() && is_license_file(git_tree_entry_name(entry))) {
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, state->repo, git_tree_entry_id(entry)) == 0) {
      Blob blob(raw);
      state->snapshot->license = detect_license(
          std::string(static_cast<const char*>(git_blob_rawcontent(raw)), git_blob_rawsize(raw)));
    }
  }
  if (!wanted_path(*state->spec, path)) return 0;
  if (!is_valid_utf8(path)) {
    ++state->snapshot->skipped.not_utf8;
    return 0;
  }

  const git_oid* oid = git_tree_entry_id(entry);
  size_t size = 0;
  git_object_t type;
  if (git_odb_read_header(&size, &type, state->odb, oid) != 0) {
    ++state->snapshot->skipped.unreadable;
    return 0;
  }
  if (size > state->options->max_file_bytes) {
    ++state->snapshot->skipped.too_large;
    return 0;
  }
  SourceFile file;
  file.path = path;
  file.blob_id = git_oid_tostr_s(oid);
  file.size = size;
  if (!state->options->is_known_blob || !state->options->is_known_blob(file.blob_id)) {
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, state->repo, oid) != 0) {
      ++state->snapshot->skipped.unreadable;
      return 0;
    }
    Blob blob(raw);
    std::string content(static_cast<const char*>(git_blob_rawcontent(raw)), git_blob_rawsize(raw));
    if (content.find('\0') != std::string::npos) {
      ++state->snapshot->skipped.binary;
      return 0;
    }
    if (!is_valid_utf8(content)) {
      ++state->snapshot->skipped.not_utf8;
      return 0;
    }
    file.content = std::move(content);
  }
  state->snapshot->files.push_back(std::move(file));
  if (state->options->on_progress && state->snapshot->files.size() % 500 == 0) {
    state->options->on_progress({state->spec->name, "listing files", state->snapshot->files.size(), 0});
  }
  return 0;
}

struct FetchProgress {
  const SourceSpec* spec;
  const CrawlOptions* options;
};

int on_transfer(const git_indexer_progress* stats, void* payload) {
  auto* progress = static_cast<FetchProgress*>(payload);
  if (progress->options->on_progress && (stats->received_objects % 1000 == 0 ||
                                         stats->received_objects == stats->total_objects)) {
    progress->options->on_progress(
        {progress->spec->name, "receiving objects", stats->received_objects, stats->total_objects});
  }
  return 0;
}

}  // namespace

bool is_git_repository(const std::string& path) {
  LibGit2 lib;
  git_repository* repo = nullptr;
  // NO_SEARCH: a directory inside some other repository is not itself a git source.
  if (git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return false;
  }
  git_repository_free(repo);
  return true;
}

namespace {

bool looks_like_commit_id(const std::string& ref) {
  return ref.size() >= 7 && ref.size() <= 40 &&
         ref.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The refspecs to fetch: the remote's default branch, and the requested ref when it names a
// branch or tag. Fetching only these keeps the mirror small (no pull-request refs) and lets a
// deleted ref fail with a clear reason.
StatusOr<std::vector<std::string>> wanted_refspecs(git_remote* remote, const std::string& ref, std::string* head) {
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (git_remote_ls(&heads, &count, remote) != 0) return libgit2_error("list remote refs");
  git_buf default_branch = GIT_BUF_INIT;
  if (git_remote_default_branch(&default_branch, remote) == 0) {
    *head = default_branch.ptr;
    git_buf_dispose(&default_branch);
  }
  std::vector<std::string> refspecs;
  if (!head->empty()) refspecs.push_back("+" + *head + ":" + *head);
  if (ref.empty()) {
    if (refspecs.empty()) return Status::error("the remote has no default branch");
    return refspecs;
  }
  for (const std::string& name : {ref, "refs/heads/" + ref, "refs/tags/" + ref}) {
    for (size_t i = 0; i < count; ++i) {
      if (name == heads[i]->name) {
        refspecs.push_back("+" + name + ":" + name);
        return refspecs;
      }
    }
  }
  if (looks_like_commit_id(ref) && !refspecs.empty()) return refspecs;  // resolved in the fetched history
  return Status::error("ref '" + ref + "' is not on the remote (deleted or renamed?)");
}

}  // namespace

StatusOr<std::string> update_mirror(const SourceSpec& spec, const std::string& url, const CrawlOptions& options) {
  LibGit2 lib;
  const std::string& cache_dir = options.cache_dir;
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  if (ec) return Status::error("cannot create cache directory " + cache_dir + ": " + ec.message());
  const std::string path = (std::filesystem::path(cache_dir) / mirror_directory_name(spec.name)).string();

  git_repository* raw_repo = nullptr;
  bool fresh = !std::filesystem::exists(path);
  if (fresh ? git_repository_init(&raw_repo, path.c_str(), /*is_bare=*/1) != 0
            : git_repository_open_bare(&raw_repo, path.c_str()) != 0) {
    return libgit2_error(std::string(fresh ? "init" : "open") + " mirror " + path);
  }
  Repo repo(raw_repo);
  git_remote* raw_remote = nullptr;
  if (git_remote_lookup(&raw_remote, repo.get(), "origin") != 0) {
    if (git_remote_create_with_fetchspec(&raw_remote, repo.get(), "origin", url.c_str(),
                                         "+refs/heads/*:refs/heads/*") != 0) {
      return libgit2_error("add remote " + url);
    }
  }
  Remote remote(raw_remote);
  if (git_remote_url(remote.get()) != url) {
    git_remote_set_url(repo.get(), "origin", url.c_str());
    git_remote* updated = nullptr;
    if (git_remote_lookup(&updated, repo.get(), "origin") != 0) return libgit2_error("update remote url");
    remote.reset(updated);
  }
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0) {
    return libgit2_error("connect " + url);
  }
  std::string head;
  auto refspecs = wanted_refspecs(remote.get(), spec.ref, &head);
  git_remote_disconnect(remote.get());
  if (!refspecs) return refspecs.status();

  std::vector<char*> specs;
  for (auto& refspec : *refspecs) specs.push_back(refspec.data());
  git_strarray refspec_array{specs.data(), specs.size()};
  git_fetch_options fetch_options = GIT_FETCH_OPTIONS_INIT;
  fetch_options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  FetchProgress progress{&spec, &options};
  fetch_options.callbacks.transfer_progress = on_transfer;
  fetch_options.callbacks.payload = &progress;
  if (git_remote_fetch(remote.get(), &refspec_array, &fetch_options, "tritonpile mirror") != 0) {
    return libgit2_error("fetch " + url);
  }
  if (!head.empty()) git_repository_set_head(repo.get(), head.c_str());
  return path;
}

StatusOr<Snapshot> read_git_repository(const SourceSpec& spec, const std::string& repo_path,
                                       const CrawlOptions& options) {
  LibGit2 lib;
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, repo_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return libgit2_error("open " + repo_path);
  }
  Repo repo(raw_repo);
  auto commit = resolve_commit(repo.get(), spec.ref);
  if (!commit) return commit.status();
  git_object* raw_tree = nullptr;
  if (git_object_peel(&raw_tree, commit->get(), GIT_OBJECT_TREE) != 0) return libgit2_error("read tree");
  Tree tree(reinterpret_cast<git_tree*>(raw_tree));
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo.get()) != 0) return libgit2_error("open object database");
  Odb odb(raw_odb);

  Snapshot snapshot;
  snapshot.commit = git_oid_tostr_s(git_object_id(commit->get()));
  if (!options.unchanged_commit.empty() && snapshot.commit == options.unchanged_commit) {
    snapshot.unchanged = true;
    return snapshot;
  }
  WalkState state{&spec, &options, repo.get(), odb.get(), &snapshot};
  if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, visit_entry, &state) != 0) return libgit2_error("walk tree");
  return snapshot;
}

std::string probe_git(const std::string& url) {
  LibGit2 lib;
  git_remote* raw = nullptr;
  if (git_remote_create_detached(&raw, url.c_str()) != 0) return libgit2_error("url " + url).message();
  Remote remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0) {
    return libgit2_error("connect " + url).message();
  }
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  int rc = git_remote_ls(&heads, &count, remote.get());
  git_remote_disconnect(remote.get());
  if (rc != 0) return libgit2_error("list refs of " + url).message();
  if (count == 0) return url + " has no refs";
  return "";
}

}  // namespace tritonpile::crawler
