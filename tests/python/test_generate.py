"""tritonpile generate: phase-2 entries rendered from templates/, deterministic per seed,
stored once per distinct render, validated like any other entry."""
import json
import sqlite3

from tritonpile_testing import tritonpile


def entry_ids(db):
    with sqlite3.connect(db) as connection:
        return sorted(row[0] for row in connection.execute("SELECT id FROM entries WHERE phase = 2"))


def test_same_seed_same_entries_and_no_duplicates(tmp_path, binary):
    first = json.loads(tritonpile("--db", tmp_path / "a.db", "--json", "generate", "--count", "12", "--seed", "5",
                                  check_rc=0).stdout)
    assert first == {"rendered": 12, "new_entries": 12}
    again = json.loads(tritonpile("--db", tmp_path / "a.db", "--json", "generate", "--count", "12", "--seed", "5",
                                  check_rc=0).stdout)
    assert again == {"rendered": 12, "new_entries": 0}
    tritonpile("--db", tmp_path / "b.db", "generate", "--count", "12", "--seed", "5", check_rc=0)
    assert entry_ids(tmp_path / "a.db") == entry_ids(tmp_path / "b.db")
    tritonpile("--db", tmp_path / "c.db", "generate", "--count", "12", "--seed", "6", check_rc=0)
    assert entry_ids(tmp_path / "c.db") != entry_ids(tmp_path / "a.db")


def test_generated_entries_pass_validation_with_template_provenance(tmp_path, binary):
    tritonpile("--db", tmp_path / "g.db", "generate", "--count", "8", "--seed", "1", check_rc=0)
    tritonpile("--db", tmp_path / "g.db", "validate", "--device", "interpret", check_rc=0)
    tritonpile("--db", tmp_path / "g.db", "export", "--out", tmp_path / "dataset", "--phase", "2", check_rc=0)
    entries = [json.loads(line) for split in ("train", "test", "validation")
               for line in (tmp_path / "dataset" / split / "entries.jsonl").read_text().splitlines()]
    assert len(entries) == 8
    for entry in entries:
        meta = entry["metadata"]
        assert meta["phase"] == 2 and meta["validation"]["status"] == "passed"
        assert meta["pairing"]["evidence"] == "template"
        assert meta["template"]["seed"] == 1 and meta["template"]["name"] and meta["template"]["params"]
