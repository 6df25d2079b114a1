#!/usr/bin/env python3
"""Gathers the toolbox benchmark's outputs (eval.json of every folder, topics.json stage times,
bertopic_toolbox.json, /usr/bin/time and load-average logs) into
bench/toolbox/results/20newsgroups-toolbox-<date>.json and prints the tables (markdown) for
docs/benchmarks.md: per option, mean ± standard deviation over the seeds for both systems.

  python3 bench/toolbox/collect_results.py --out-dir out/bench-toolbox --results bench/toolbox/results [--seeds "42 43 44"]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "batch"))
from collect_results import gnu_time, load_lines, read_json  # noqa: E402  (bench/batch/collect_results.py)

OPTIONS = {
    "defaults": "(a) defaults",
    "outliers": "(b) outlier reduction, c-TF-IDF",
    "auto": "(c) topic reduction, auto",
    "mmr": "(d) MMR topic words, diversity 0.1",
}
SYSTEMS = {"ours": "topicstream", "bertopic": "BERTopic", "cross": "BERTopic's toolbox on topicstream's clusters"}
METRICS = ["n_topics", "outlier_ratio", "npmi", "diversity", "nmi", "ari", "nmi_clustered", "ari_clustered"]
SHOWN = [("outliers %", "outlier_ratio", 100, 1), ("topics", "n_topics", 1, 1), ("NPMI", "npmi", 1, 4),
         ("diversity", "diversity", 1, 4), ("NMI", "nmi", 1, 4), ("NMI, clustered", "nmi_clustered", 1, 4)]


def assignments(d: Path) -> dict[str, int]:
    out = {}
    with open(d / "assignments.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = int(r["topic"])
    return out


def partition_diff(x: dict[str, int], y: dict[str, int]) -> dict:
    """How far two labelings of the same documents are from one partition (topic ids aside; -1 is
    a topic like the others): documents outside the best-overlapping topic of the other side, both
    ways, and the topics matched one to one."""
    from collections import Counter

    pairs = Counter((x[k], y.get(k)) for k in x)

    def off(first: int) -> int:
        best: dict = {}
        for (a, b), n in pairs.items():
            key = a if first == 0 else b
            best[key] = max(best.get(key, 0), n)
        return len(x) - sum(best.values())

    return {"docs": len(x), "off_x_to_y": off(0), "off_y_to_x": off(1), "identical": off(0) == 0 and off(1) == 0,
            "outliers_x": sum(1 for v in x.values() if v == -1), "outliers_y": sum(1 for v in y.values() if v == -1)}


def topic_words(d: Path, n: int = 10) -> dict[int, list[tuple[str, float]]]:
    """A run's topic words with scores, best first: topicstream's model/manifest.json (30 words, what
    eval scores; topics.json keeps top_n_words) or else topics.json."""
    t = read_json(d / "model" / "manifest.json") or read_json(d / "topics.json") or {}
    return {int(x["id"]): [(w["word"], float(w.get("score", 0))) for w in x["words"][:n]] for x in t.get("topics", [])}


def same_up_to_ties(u: list[tuple[str, float]], v: list[tuple[str, float]], eps: float = 2e-6) -> bool:
    """The same top words but for which of several words tied at the last place made the cut."""
    if not u or not v or len(u) != len(v) or abs(u[-1][1] - v[-1][1]) > eps:
        return False
    cut = min(u[-1][1], v[-1][1]) + eps
    return {w for w, x in u if x > cut} == {w for w, x in v if x > cut}


def word_agreement(a: Path, b: Path) -> dict | None:
    """Topic words of two runs with the same partition: topics matched by their documents; top-10
    lists equal, equal as sets (order of tied scores aside), or differing."""
    from collections import Counter

    if not (a / "assignments.jsonl").exists() or not (b / "assignments.jsonl").exists():
        return None
    x, y = assignments(a), assignments(b)
    pairs = Counter((x[k], y.get(k)) for k in x)
    match: dict[int, tuple[int, int]] = {}
    for (p, q), n in pairs.items():
        if p != -1 and (p not in match or n > match[p][1]):
            match[p] = (q, n)
    wa, wb = topic_words(a), topic_words(b)
    same = same_set = ties = differ = 0
    examples = []
    for p, (q, _) in sorted(match.items()):
        u, v = wa.get(p, []), wb.get(q, [])
        if [w for w, _ in u] == [w for w, _ in v]:
            same += 1
        elif {w for w, _ in u} == {w for w, _ in v}:
            same_set += 1
        elif same_up_to_ties(u, v):
            ties += 1
        else:
            differ += 1
            if len(examples) < 5:
                examples.append({"topic": p, "ours": u, "bertopic": v})
    return {"topics": len(match), "same_list": same, "same_set_other_order": same_set, "same_but_ties_at_the_cut": ties,
            "different": differ, "examples": examples}


def loads(out_dir: Path, name: str) -> dict | None:
    la = load_lines(out_dir / "logs" / f"{name}.load")
    return {row[0]: row[1:5] for row in la if row} if la else None


def run_record(out_dir: Path, system: str, seed: str, option: str) -> dict | None:
    d = out_dir / f"{system}-s{seed}" / option
    ev = read_json(d / "eval.json")
    if ev is None:
        return None
    rec: dict = {"eval": {k: ev.get(k) for k in METRICS}, "folder": str(d)}
    topics = read_json(d / "topics.json") or {}
    if system == "ours":
        log = f"ours-s{seed}-{option}"
        rec["stage_seconds"] = topics.get("stage_seconds")
        rec["process"] = gnu_time(out_dir / "logs" / f"{log}.time")
        rec["loadavg"] = loads(out_dir, log)
        if "toolbox" in topics:
            rec["toolbox"] = topics["toolbox"]
    else:
        run = read_json(out_dir / f"{system}-s{seed}" / "bertopic_toolbox.json") or {}
        rec["seconds"] = (run.get("options") or {}).get(option)
        rec["fit_transform_seconds"] = run.get("fit_transform_seconds")
        rec["process"] = gnu_time(out_dir / "logs" / f"{system}-s{seed}.time")
        rec["loadavg"] = loads(out_dir, f"{system}-s{seed}")
    return rec


def summary(values: list[float]) -> dict:
    return {
        "mean": statistics.fmean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
        "values": values,
    }


def cell(s: dict | None, scale: float, nd: int) -> str:
    if not s:
        return "–"
    if nd == 1 and scale == 1:  # counts
        return f"{s['mean']:.1f} ± {s['sd']:.1f}"
    return f"{s['mean'] * scale:.{nd}f} ± {s['sd'] * scale:.{nd}f}"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out-dir", default="out/bench-toolbox")
    p.add_argument("--results", default="bench/toolbox/results")
    p.add_argument("--seeds", default="42 43 44")
    args = p.parse_args()
    out_dir, seeds = Path(args.out_dir), args.seeds.split()

    res: dict = {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": read_json(out_dir / "machine.json"), "seeds": seeds}
    build = out_dir / "build"
    if (build / "commit").exists():
        res["topicstream_commit"] = (build / "commit").read_text().strip()
        res["src_uncommitted_changes"] = (build / "src-status").read_text().strip() if (build / "src-status").exists() else None
    embed_topics = read_json(out_dir / "embed" / "topics.json") or {}
    res["embed"] = {"stage_seconds": embed_topics.get("stage_seconds"), "process": gnu_time(out_dir / "logs" / "embed.time"), "loadavg": loads(out_dir, "embed"),
                    "n_docs": embed_topics.get("n_docs")}
    first = read_json(out_dir / f"bertopic-s{seeds[0]}" / "bertopic_toolbox.json") or {}
    res["bertopic_versions"] = first.get("versions")

    runs: dict = {}
    for system in SYSTEMS:
        for seed in seeds:
            for option in OPTIONS:
                r = run_record(out_dir, system, seed, option)
                if r:
                    runs.setdefault(system, {}).setdefault(option, {})[seed] = r
    res["runs"] = runs

    # ours (d) is a refit with the same seed: its clusters must be (a)'s
    checks = {}
    for seed in seeds:
        a, d = out_dir / f"ours-s{seed}" / "defaults", out_dir / f"ours-s{seed}" / "mmr"
        if (a / "assignments.jsonl").exists() and (d / "assignments.jsonl").exists():
            x, y = assignments(a), assignments(d)
            checks[seed] = {"docs": len(x), "different_topic": sum(1 for k in x if y.get(k) != x[k])}
    res["ours_mmr_refit_same_clusters"] = checks

    # BERTopic's toolbox on our clusters (cross-sS) against ours (ours-sS): same partitions, same words?
    cross = {}
    for seed in seeds:
        for option in OPTIONS:
            a, b = out_dir / f"ours-s{seed}" / option, out_dir / f"cross-s{seed}" / option
            if (a / "assignments.jsonl").exists() and (b / "assignments.jsonl").exists():
                cross.setdefault(seed, {})[option] = {"partition": partition_diff(assignments(a), assignments(b)), "words": word_agreement(a, b)}
    res["same_clusters_ours_vs_bertopic_toolbox"] = cross
    res["ties"] = read_json(out_dir / "ties.json")  # ties.py
    la = load_lines(out_dir / "logs" / "loadavg.log")  # sampled every 30 s after the embed, when present
    if la:
        one = [float(r[1]) for r in la if len(r) >= 2]
        res["loadavg_1min_samples_after_embed"] = {"from": la[0][0], "to": la[-1][0], "n": len(one), "min": min(one), "median": statistics.median(one), "max": max(one)}
    emb = load_lines(out_dir / "logs" / "embed-loadavg-samples.txt")
    if emb:
        res["embed"]["loadavg_1min_samples"] = [r[:2] for r in emb]

    agg: dict = {}
    for system, by_opt in runs.items():
        for option, by_seed in by_opt.items():
            agg.setdefault(option, {})[system] = {
                m: summary([by_seed[s]["eval"][m] for s in seeds if s in by_seed and by_seed[s]["eval"].get(m) is not None]) for m in METRICS
            }
            agg[option][system]["seeds"] = [s for s in seeds if s in by_seed]
    res["summary"] = agg

    Path(args.results).mkdir(parents=True, exist_ok=True)
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    dest = Path(args.results) / f"20newsgroups-toolbox-{date}.json"
    dest.write_text(json.dumps(res, indent=2) + "\n")
    print(f"wrote {dest}", file=sys.stderr)

    for option, title in OPTIONS.items():
        if option not in agg:
            continue
        print(f"\n**{title}** (mean ± sd over seeds {', '.join(seeds)})\n")
        print("| | topicstream | BERTopic | " + " | ".join(f"ours {s} | BERTopic {s}" for s in seeds) + " |")
        print("|---|---:|---:|" + "---:|---:|" * len(seeds))
        for label, key, scale, nd in SHOWN:
            row = [label, cell(agg[option].get("ours", {}).get(key), scale, nd), cell(agg[option].get("bertopic", {}).get(key), scale, nd)]
            for s in seeds:
                for system in ("ours", "bertopic"):
                    v = runs.get(system, {}).get(option, {}).get(s, {}).get("eval", {}).get(key)
                    row.append("–" if v is None else (f"{v:.0f}" if key == "n_topics" else f"{v * scale:.{1 if scale == 100 else 4}f}"))
            print("| " + " | ".join(row) + " |")
    print("\nours (d) refit vs (a), documents in a different topic:", checks)
    for seed, by in cross.items():
        for option, c in by.items():
            w = c["words"] or {}
            print(f"same clusters, seed {seed}, {option}: partition {c['partition']}; top-10 words: {w.get('same_list')} same, "
                  f"{w.get('same_set_other_order')} same set, {w.get('same_but_ties_at_the_cut')} tie at the cut, {w.get('different')} different of {w.get('topics')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
