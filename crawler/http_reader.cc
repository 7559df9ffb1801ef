#include "crawler/http_reader.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/hash.h"
#include "crawler/notebook.h"
#include "crawler/utf8.h"

namespace tritonpile::crawler {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Response {
  long status = 0;
  std::string body;
  std::string etag;
  std::string last_modified;
  std::string content_type;
  double retry_after = -1;  // seconds; -1 when absent
  bool too_large = false;
  std::string effective_url;
};

struct Transfer {
  Response* response;
  uint64_t max_bytes;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (transfer->response->body.size() + bytes > transfer->max_bytes) {
    transfer->response->too_large = true;
    return 0;  // aborts the transfer
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

std::string trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect): forget the last one's headers
    response->etag.clear(), response->last_modified.clear(), response->content_type.clear();
    response->retry_after = -1;
  }
  if (colon == std::string::npos) return size * count;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string value = trim(line.substr(colon + 1));
  if (name == "etag") response->etag = value;
  if (name == "last-modified") response->last_modified = value;
  if (name == "content-type") response->content_type = value;
  if (name == "retry-after") {
    try {
      response->retry_after = std::stod(value);
    } catch (...) {
      time_t when = curl_getdate(value.c_str(), nullptr);
      if (when > 0) response->retry_after = std::max(0.0, std::difftime(when, std::time(nullptr)));
    }
  }
  return size * count;
}

StatusOr<Response> request(const std::string& url, const CrawlOptions& options, bool head, bool conditional) {
  global_init();
  CURL* curl = curl_easy_init();
  if (!curl) return Status::error("libcurl could not start");
  Response response;
  Transfer transfer{&response, options.max_file_bytes};
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  if (conditional && !options.previous_http.etag.empty()) {
    headers = curl_slist_append(headers, ("If-None-Match: " + options.previous_http.etag).c_str());
  }
  if (conditional && !options.previous_http.last_modified.empty()) {
    headers = curl_slist_append(headers, ("If-Modified-Since: " + options.previous_http.last_modified).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.http.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options.http.total_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tritonpile/0.1");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_file_bytes));
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (head) curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  char* effective = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) response.effective_url = effective;
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (response.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Status::error(url + " is larger than the " + std::to_string(options.max_file_bytes) + "-byte cap");
  }
  if (code != CURLE_OK) return Status::error(url + ": " + (error[0] ? error : curl_easy_strerror(code)));
  return response;
}

bool retryable(long status) { return status == 429 || (status >= 500 && status <= 599); }

// GET with retries on 429/5xx; the wait is Retry-After when given, else exponential backoff.
StatusOr<Response> fetch(const std::string& url, const CrawlOptions& options, bool head, bool conditional) {
  for (int attempt = 0;; ++attempt) {
    auto response = request(url, options, head, conditional);
    if (!response || !retryable(response->status) || attempt >= options.http.max_retries) return response;
    double wait = response->retry_after >= 0 ? response->retry_after
                                             : options.http.backoff_seconds * std::pow(2.0, attempt);
    wait = std::min(wait, options.http.max_retry_after_seconds);
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

std::string file_name(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  return path.substr(path.rfind('/') + 1);
}

bool looks_like_html(const Response& response) {
  if (response.content_type.find("text/html") != std::string::npos) return true;
  std::string head = trim(response.body.substr(0, 256));
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  return head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0;
}

}  // namespace

StatusOr<Snapshot> read_http_source(const SourceSpec& spec, const std::string& url, const CrawlOptions& options) {
  const HttpState& previous = options.previous_http;
  bool can_reuse = !previous.blob_id.empty() && options.is_known_blob && options.is_known_blob(previous.blob_id);
  auto response = fetch(url, options, /*head=*/false, /*conditional=*/can_reuse);
  if (!response) return response.status();
  Snapshot snapshot;
  if (response->status == 304 && can_reuse) {
    snapshot.http = previous;
    snapshot.commit = "blob:" + previous.blob_id;
    snapshot.files.push_back({previous.path, previous.blob_id, 0, std::nullopt, previous.provenance});
    return snapshot;
  }
  if (response->status != 200) {
    return Status::error("HTTP " + std::to_string(response->status) + " for " + url);
  }
  if (looks_like_html(*response)) return Status::error(url + " answered with an HTML page, not Python");
  if (response->body.find('\0') != std::string::npos) return Status::error(url + " is binary, not Python");
  if (!is_valid_utf8(response->body)) return Status::error(url + " is not UTF-8 text");

  std::string name = file_name(spec.url);
  std::string content = std::move(response->body);
  std::string provenance;
  bool notebook = name.size() > 6 && name.compare(name.size() - 6, 6, ".ipynb") == 0;
  if (notebook) {
    auto module = notebook_to_module(content);
    if (!module) return module.status().with_context(url);
    content = std::move(module->source);
    nlohmann::json cells = nlohmann::json::array();
    for (auto [cell, line] : module->cells) cells.push_back({{"cell", cell}, {"line", line}});
    provenance = nlohmann::json{{"notebook_cells", cells}}.dump();
  }
  SourceFile file;
  file.path = name.empty() ? "index.py" : name;
  file.blob_id = git_blob_id(content);
  file.size = content.size();
  file.provenance = provenance;
  if (!options.is_known_blob || !options.is_known_blob(file.blob_id)) file.content = std::move(content);
  snapshot.commit = "blob:" + file.blob_id;
  snapshot.http = {response->etag, response->last_modified, file.blob_id, file.path, provenance};
  snapshot.files.push_back(std::move(file));
  return snapshot;
}

std::string probe_http(const std::string& url, const HttpOptions& http) {
  CrawlOptions options;
  options.http = http;
  options.max_file_bytes = 1 << 20;
  auto response = fetch(url, options, /*head=*/true, /*conditional=*/false);
  if (response && (response->status == 405 || response->status == 501)) {
    response = fetch(url, options, /*head=*/false, /*conditional=*/false);
  }
  if (!response) return response.status().message();
  if (response->status >= 400) return "HTTP " + std::to_string(response->status);
  return "";
}

}  // namespace tritonpile::crawler
