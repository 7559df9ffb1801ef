"""Draws the seeded random sample of crawled pairs that bench/pair_sample.jsonl hand-checks.

    .venv/bin/python bench/pair_sample.py DB [--seed 5] [--size 50] > sample.jsonl

Each line: repo, path, launcher, reference, reference_path, evidence, where, and empty
verdict/why fields for the person checking. Each pair gets a rank, the SHA-256 of the seed and
its (source, path, launcher); the sample is the pairs of lowest rank. The same database and
seed always draw the same sample, and a crawl that adds or drops pairs changes it only where
those pairs rank: the pairs already drawn and checked stay drawn unless a new one outranks them.
With --verdicts FILE..., prints the precision of each checked sample, and of the distinct pairs
they hold together, instead.
"""
import argparse
import hashlib
import json
import sqlite3


def rank(seed, repo, path, launcher):
    return hashlib.sha256(f"{seed}\0{repo}\0{path}\0{launcher}".encode()).hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--verdicts", nargs="+", help="checked samples: print the precision of each, and of the "
                                                      "distinct pairs they hold together")
    args = parser.parse_args()
    if args.verdicts:
        distinct = {}
        for path in args.verdicts:
            rows = [json.loads(line) for line in open(path)]
            correct = sum(1 for r in rows if r["verdict"] == "correct")
            print(f"{path}: {correct} of {len(rows)} correct: precision {correct / len(rows):.1%}")
            for r in rows:
                distinct[(r["repo"], r["path"], r["launcher"])] = r["verdict"]
        if len(args.verdicts) > 1:
            correct = sum(1 for verdict in distinct.values() if verdict == "correct")
            print(f"together: {correct} of {len(distinct)} distinct pairs correct: precision "
                  f"{correct / len(distinct):.1%}")
        return
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    pairs = db.execute("""SELECT s.name, p.path, p.launcher, p.reference, p.reference_path, p.evidence, p.location
                          FROM pairs p JOIN sources s ON s.id = p.source_id""").fetchall()
    sample = sorted(pairs, key=lambda pair: rank(args.seed, *pair[:3]))[: args.size]
    for repo, path, launcher, reference, reference_path, evidence, where in sample:
        print(json.dumps({"repo": repo, "path": path, "launcher": launcher, "reference": reference,
                          "reference_path": reference_path, "evidence": evidence, "where": where,
                          "verdict": "", "why": ""}))


if __name__ == "__main__":
    main()
