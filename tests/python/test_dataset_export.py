"""The exported dataset through the built binary: decontamination with a planted benchmark item,
files that load with json and with Hugging Face datasets, the card and its chart."""
import json
import shutil
import xml.etree.ElementTree as ElementTree

import pytest

from tritonpile_testing import ROOT, tritonpile

SPLITS = ("train", "test", "validation")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, binary):
    """The repository's curated sources, crawled (not validated: export does not need it)."""
    project = tmp_path_factory.mktemp("dataset")
    shutil.copy(ROOT / "sources.json", project / "sources.json")
    shutil.copytree(ROOT / "curated", project / "curated", ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    tritonpile("crawl", cwd=project, check_rc=0)
    return project


def exported(directory):
    entries = {}
    for split in SPLITS:
        with open(directory / split / "entries.jsonl", encoding="utf-8") as lines:
            for line in lines:
                entry = json.loads(line)
                assert entry["metadata"]["split"] == split
                entries[entry["id"]] = entry
    return entries


def test_every_line_loads_with_json_and_has_the_design_fields(crawled):
    tritonpile("export", "--out", "plain", cwd=crawled, check_rc=0)
    entries = exported(crawled / "plain")
    assert len(entries) == 11
    for entry in entries.values():
        assert set(entry) == {"id", "python_code", "triton_code", "test_code", "metadata"}
        dedup = entry["metadata"]["dedup"]
        assert dedup["cluster"] and dedup["canonical_hash"] and dedup["cluster_size"] >= 1


def test_planted_benchmark_item_is_left_out_and_reported(crawled):
    tritonpile("export", "--out", "before", cwd=crawled, check_rc=0)
    entries = exported(crawled / "before")
    victim = next(e for e in entries.values() if e["metadata"]["entry_points"]["triton"] == "matmul")
    # The victim's kernel, renamed, inside a KernelBench-like item among unrelated ones.
    planted = victim["triton_code"].replace("matmul", "gemm").replace("BLOCK_SIZE_M", "BM")
    bench = crawled / "bench.jsonl"
    items = [{"problem_id": 1, "code": "import torch\n\ndef relu(x):\n    return x.clamp_min(0)\n"},
             {"problem_id": 2, "code": planted, "name": "gemm"}]
    bench.write_text("".join(json.dumps(item) + "\n" for item in items))

    proc = tritonpile("--json", "export", "--out", "clean", "--decontaminate-against", bench, cwd=crawled,
                      check_rc=0)
    assert json.loads(proc.stdout)["contaminated"] == 1
    assert f"left out 1 entries that copy items of {bench}" in proc.stderr
    clean = exported(crawled / "clean")
    assert victim["id"] not in clean
    assert set(clean) == set(entries) - {victim["id"]}
    report = [json.loads(line) for line in (crawled / "clean" / "decontamination.jsonl").read_text().splitlines()]
    assert [r["id"] for r in report] == [victim["id"]]
    assert report[0]["benchmark"] == str(bench) and report[0]["item"] == 1 and report[0]["item_id"] == "2"
    assert report[0]["reason"] in ("near-duplicate", "shared-token-run")
    assert report[0]["jaccard"] >= 0.7 or report[0]["run_tokens"] >= 50
    assert "| left out by decontamination | 1 |" in (crawled / "clean" / "README.md").read_text()


def test_bad_benchmark_file_is_a_usage_error_naming_it(crawled):
    broken = crawled / "broken.json"
    broken.write_text("[{\"code\": ")
    proc = tritonpile("export", "--out", "never", "--decontaminate-against", broken, cwd=crawled, check_rc=2)
    assert str(broken) in proc.stderr
    missing = tritonpile("export", "--decontaminate-against", crawled / "missing.json", cwd=crawled, check_rc=2)
    assert "missing.json" in missing.stderr
    assert not (crawled / "never").exists()


def test_split_ratios_are_checked(crawled):
    assert tritonpile("export", "--split", "80/20", cwd=crawled, check_rc=2).stderr
    tritonpile("export", "--out", "ratios", "--split", "1/1/1", "--split-by", "source", cwd=crawled, check_rc=0)
    assert len({e["metadata"]["split"] for e in exported(crawled / "ratios").values()}) == 1  # one source


def test_card_and_chart_describe_the_export(crawled):
    tritonpile("export", "--out", "card", cwd=crawled, check_rc=0)
    card = (crawled / "card" / "README.md").read_text()
    assert "![" in card and "](distribution.svg)" in card
    for heading in ("## Entries per split", "## Phase", "## Operation type", "## Difficulty", "## Source"):
        assert heading in card
    assert "| curated | " in card
    svg = ElementTree.parse(crawled / "card" / "distribution.svg").getroot()
    assert svg.tag.endswith("svg")
    labels = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"train", "test", "validation", "curated", "elementwise", "reduction", "matmul"} <= labels
    bars = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") == "16"]
    assert bars


def test_exported_splits_load_with_hugging_face_datasets(crawled):
    datasets = pytest.importorskip("datasets")
    tritonpile("export", "--out", "hf", cwd=crawled, check_rc=0)
    files = {split: str(crawled / "hf" / split / "entries.jsonl") for split in SPLITS
             if (crawled / "hf" / split / "entries.jsonl").stat().st_size}
    loaded = datasets.load_dataset("json", data_files=files, cache_dir=str(crawled / "hf-cache"))
    assert sum(len(loaded[split]) for split in files) == 11
    row = loaded[next(iter(files))][0]
    assert row["python_code"] and row["triton_code"] and row["metadata"]["source"]["name"] == "curated"
