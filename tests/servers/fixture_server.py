"""A loopback HTTP server for the crawler tests.

Serves git repositories over smart HTTP through `git http-backend` (CGI) under /git/, and
scripted answers for single files: 200 with validators (304 on a matching conditional
request), 404, 429 with Retry-After, 503, a redirect, an oversize body, a slow answer and an
HTML error page. Prints "PORT <n>" once listening on 127.0.0.1. Counts requests per path
(GET /_hits?path=/x.py) and can be told how often a path fails before it succeeds
(GET /_fail?path=/x.py&times=2&status=429). Usage: fixture_server.py GIT_ROOT
"""
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

GIT_ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
HITS = {}
FAILURES = {}  # path -> [times left, status]
LOCK = threading.Lock()

MODULE = b"import torch\n\n\ndef double(x):\n    return x * 2\n"
NOTEBOOK = json.dumps({
    "nbformat": 4, "nbformat_minor": 5, "metadata": {},
    "cells": [
        {"cell_type": "markdown", "source": ["# A tutorial\n"], "metadata": {}},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "import torch\n"], "metadata": {}, "outputs": []},
        {"cell_type": "code", "source": "def triple(x):\n    return x * 3\n", "metadata": {}, "outputs": []},
    ],
}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, body, content_type="text/x-python", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path.startswith("/git/"):
            return self.git(url)
        if url.path == "/_hits":
            return self.send_body(200, str(HITS.get(query["path"], 0)).encode(), "text/plain")
        if url.path == "/_fail":
            FAILURES[query["path"]] = [int(query["times"]), int(query["status"])]
            return self.send_body(200, b"ok", "text/plain")
        with LOCK:
            HITS[url.path] = HITS.get(url.path, 0) + 1
            failure = FAILURES.get(url.path)
            if failure and failure[0] > 0:
                failure[0] -= 1
                return self.send_body(failure[1], b"busy", "text/plain", [("Retry-After", "1")])
        if url.path == "/ok.py":
            etag = '"v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            return self.send_body(200, MODULE, headers=[("ETag", etag), ("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")])
        if url.path == "/notebook.ipynb":
            return self.send_body(200, NOTEBOOK, "application/json")
        if url.path == "/redirect.py":
            self.send_response(302)
            self.send_header("Location", "/ok.py")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if url.path == "/huge.py":
            return self.send_body(200, b"# " + b"x" * (3 << 20) + b"\n")
        if url.path == "/slow.py":
            time.sleep(float(query.get("seconds", "5")))
            return self.send_body(200, MODULE)
        if url.path == "/html.py":
            return self.send_body(200, b"<!DOCTYPE html><html><body>Not found</body></html>", "text/html")
        if url.path == "/always503.py":
            return self.send_body(503, b"down", "text/plain")
        return self.send_body(404, b"not found", "text/plain")

    def git(self, url):
        """Smart HTTP through git http-backend, as a CGI."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = dict(os.environ, GIT_PROJECT_ROOT=GIT_ROOT, GIT_HTTP_EXPORT_ALL="1", REQUEST_METHOD=self.command,
                   PATH_INFO=url.path[len("/git"):], QUERY_STRING=url.query, REMOTE_ADDR="127.0.0.1",
                   CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(length),
                   GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.split(b"\r\n"):
            name, _, value = line.decode().partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
