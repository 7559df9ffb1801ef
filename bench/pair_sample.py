"""Draws the seeded random sample of crawled pairs that bench/pair_sample.jsonl hand-checks.

    .venv/bin/python bench/pair_sample.py DB [--seed 5] [--size 50] > sample.jsonl

Each line: repo, path, launcher, reference, reference_path, evidence, where, and empty
verdict/why fields for the person checking. Each pair gets a rank, the SHA-256 of the seed and
its (source, path, launcher); the sample is the pairs of lowest rank. The same database and
seed always draw the same sample, and a crawl that adds or drops pairs changes it only where
those pairs rank: the pairs already drawn and checked stay drawn unless a new one outranks them.
With --verdicts FILE..., prints the precision of each checked sample, and of the distinct pairs
they hold together, instead: by `verdict` (is the reference a correct PyTorch reference for the
launcher called with the same arguments, defaults included) and, where the rows have one, by
`strict` (the same pairs re-read under a strict rule: wrong also where the reference raises for
any argument list the launcher accepts, a launcher option it lacks included, or where the two
differ for any valid argument, a launcher's corner-case bug included).
"""
import argparse
import hashlib
import json
import sqlite3


def rank(seed, repo, path, launcher):
    return hashlib.sha256(f"{seed}\0{repo}\0{path}\0{launcher}".encode()).hexdigest()


def precision(rows, field, prefix=""):
    """'C of N correct (P%)' for the verdicts in field; empty when no row has the field."""
    if not all(field in r for r in rows):
        return ""
    correct = sum(1 for r in rows if r[field] == "correct")
    return f"{prefix}{correct} of {len(rows)} correct ({correct / len(rows):.1%})"


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
            print(f"{path}: {precision(rows, 'verdict')}{precision(rows, 'strict', ', strict reading: ')}")
            for r in rows:
                distinct[(r["repo"], r["path"], r["launcher"])] = r
        if len(args.verdicts) > 1:
            rows = list(distinct.values())
            print(f"together, {len(rows)} distinct pairs: {precision(rows, 'verdict')}"
                  f"{precision(rows, 'strict', ', strict reading: ')}")
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
