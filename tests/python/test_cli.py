"""The command line surface: help texts, usage errors, exit codes."""
import json

import pytest

from tritonpile_testing import tritonpile

SUBCOMMANDS = [["sources"], ["sources", "list"], ["sources", "add"], ["sources", "check"], ["crawl"], ["validate"],
               ["export"], ["generate"], ["stats"], ["show"], ["run"]]


def test_top_level_help_lists_every_subcommand(binary):
    out = tritonpile("--help", check_rc=0).stdout
    for name in ("sources", "crawl", "validate", "export", "generate", "stats", "show", "run"):
        assert name in out


@pytest.mark.parametrize("command", SUBCOMMANDS, ids=" ".join)
def test_each_subcommand_has_help(binary, command):
    out = tritonpile(*command, "--help", check_rc=0).stdout
    assert "Usage" in out or "usage" in out.lower()


@pytest.mark.parametrize("args", [["--no-such-flag"], ["crawl", "--bogus"], ["validate", "--device", "tpu"],
                                  ["export", "--phase", "7"], ["frobnicate"], [],
                                  ["generate"], ["generate", "--count", "0"]])
def test_bad_usage_exits_2_with_one_line(binary, args, tmp_path):
    proc = tritonpile(*args, cwd=tmp_path, check_rc=2)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tritonpile: "), proc.stderr


def test_bad_sources_file_exits_2_naming_it(binary, tmp_path):
    (tmp_path / "sources.json").write_text('{"sources": [\n  {"name": "a",}\n]}')
    proc = tritonpile("crawl", cwd=tmp_path, check_rc=2)
    assert "sources.json:2:" in proc.stderr


def test_stats_and_show_on_an_empty_database(binary, tmp_path):
    stats = json.loads(tritonpile("--json", "stats", cwd=tmp_path, check_rc=0).stdout)
    assert stats["entries"] == 0
    proc = tritonpile("show", "nope", cwd=tmp_path, check_rc=2)
    assert "no entry with id 'nope'" in proc.stderr
