#!/usr/bin/env python3
"""Gathers the batch benchmark's outputs (run folders, eval.json files, /usr/bin/time logs) into
one JSON file under bench/batch/results/ and prints the tables for docs/benchmarks.md."""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

STAGES = ["embed", "knn", "umap", "hdbscan", "ctfidf"]
QUALITY = ["n_docs", "n_topics", "outlier_ratio", "npmi", "diversity", "nmi", "ari", "nmi_clustered", "ari_clustered"]

# run folder -> what it is
RUNS = {
    "ours-fp32": "topicstream fit (fp32), default vectorizer",
    "ours-fp32-rerun": "topicstream fit (fp32), default vectorizer, second run (another wall-time sample)",
    "ours-q8": "topicstream fit (q8 embedder), default vectorizer",
    "ours-fp32-refit": "topicstream k-NN..c-TF-IDF again on the exported embeddings (default vectorizer)",
    "bertopic": "BERTopic on topicstream's fp32 embeddings, default CountVectorizer",
    "ours-fp32-stop": "topicstream k-NN..c-TF-IDF on the exported embeddings, stopWords english",
    "bertopic-stop": "BERTopic on the same embeddings, CountVectorizer(stop_words='english')",
    "cross-ours-labels-bertopic-words": "topicstream's clusters, BERTopic's c-TF-IDF words",
    "cross-bertopic-labels-ours-words": "BERTopic's clusters, topicstream's c-TF-IDF words",
    "cross-stop-ours-labels-bertopic-words": "topicstream's clusters (stop-words run), BERTopic's c-TF-IDF words (stop words)",
    "cross-stop-bertopic-labels-ours-words": "BERTopic's clusters (stop-words run), topicstream's c-TF-IDF words (stop words)",
}


def read_json(p: Path):
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return None


def gnu_time(p: Path) -> dict | None:
    """Elapsed, CPU and peak memory from a `/usr/bin/time -v` report."""
    try:
        text = p.read_text()
    except OSError:
        return None
    out = {}
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    if m:
        out["user_seconds"] = float(m.group(1))
    m = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m:
        out["system_seconds"] = float(m.group(1))
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if m:
        secs = 0.0
        for part in m.group(1).split(":"):
            secs = secs * 60 + float(part)
        out["wall_seconds"] = round(secs, 2)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["max_rss_mib"] = round(int(m.group(1)) / 1024)
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit_status"] = int(m.group(1))
    if "user_seconds" in out:
        out["cpu_seconds"] = round(out["user_seconds"] + out.get("system_seconds", 0), 2)
    return out


def load_lines(p: Path):
    try:
        return [line.split() for line in p.read_text().splitlines()]
    except OSError:
        return None


def collect(out_dir: Path) -> dict:
    res: dict = {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": read_json(out_dir / "machine.json")}
    build = out_dir / "build"
    if (build / "commit").exists():
        res["topicstream_commit"] = (build / "commit").read_text().strip()
        res["topicstream_src_uncommitted"] = (build / "src-status").read_text().split("\n") if (build / "src-status").exists() else []
    runs = {}
    for name, what in RUNS.items():
        d = out_dir / name
        if not (d / "topics.json").exists():
            continue
        topics = read_json(d / "topics.json") or {}
        r = {"what": what, "stage_seconds": topics.get("stage_seconds"), "eval": read_json(d / "eval.json")}
        if topics.get("stage_cpu_seconds"):
            r["stage_cpu_seconds"] = topics["stage_cpu_seconds"]
        bt = read_json(d / "bertopic_run.json")
        if bt:
            r["stage_cpu_seconds"] = bt.get("stage_cpu_seconds")
            for k in ["fit_transform_seconds", "fit_transform_cpu_seconds", "extract_topics_seconds", "representative_docs_seconds", "warmup_seconds", "versions", "settings"]:
                if k in bt:
                    r[k] = bt[k]
            if "embed" in bt:
                r["embed_sample"] = bt["embed"]
        logname = {"ours-fp32": "fit-fp32", "ours-fp32-rerun": "fit-fp32-rerun", "ours-q8": "fit-q8", "ours-fp32-stop": "fit-fp32-stop", "ours-fp32-refit": "fit-fp32-refit"}.get(name, name)
        t = gnu_time(out_dir / "logs" / f"{logname}.time")
        if t:
            r["process"] = t
        la = load_lines(out_dir / "logs" / f"{logname}.load")
        if la:
            r["loadavg"] = {row[0]: row[1:4] for row in la if row}
        r["top_words"] = {str(t["id"]): [w["word"] for w in t["words"][:10]] for t in topics.get("topics", [])}
        r["sizes"] = {str(t["id"]): t["size"] for t in topics.get("topics", [])}
        runs[name] = r
    for seed in (43, 44):
        for name, what in ((f"ours-fp32-seed{seed}", f"topicstream k-NN..c-TF-IDF on the exported embeddings, seed {seed}"),
                           (f"bertopic-seed{seed}", f"BERTopic on the same embeddings, UMAP random_state {seed}")):
            d = out_dir / name
            if (d / "topics.json").exists():
                topics = read_json(d / "topics.json") or {}
                runs[name] = {"what": what, "stage_seconds": topics.get("stage_seconds"), "eval": read_json(d / "eval.json")}
    res["runs"] = runs
    embeds = {}
    for p in sorted(out_dir.glob("embed-ours-*.json")):
        embeds[p.stem.replace("embed-ours-", "topicstream-")] = read_json(p)
    if "bertopic" in runs and runs["bertopic"].get("embed_sample"):
        embeds["sentence-transformers"] = runs["bertopic"]["embed_sample"]
    res["embed_sample"] = embeds
    res["word_agreement"] = {
        f"{x} vs {y}": word_agreement(out_dir / x, out_dir / y)
        for x, y in [("ours-fp32", "cross-ours-labels-bertopic-words"), ("bertopic", "cross-bertopic-labels-ours-words"),
                     ("ours-fp32-stop", "cross-stop-ours-labels-bertopic-words"), ("bertopic-stop", "cross-stop-bertopic-labels-ours-words")]
    }
    cm = read_json(out_dir / "clustering_matrix.json")
    if cm:
        for cell in cm["cells"].values():
            ev = read_json(Path(cell["folder"]) / "eval.json") if cell.get("folder") else None
            if ev:
                cell["npmi"], cell["diversity"] = ev["npmi"], ev["diversity"]
    res["clustering_matrix"] = cm
    return res


def word_agreement(a: Path, b: Path) -> dict | None:
    """Two runs on the same partition of the documents (ids may be numbered differently): how many
    topics have the same top-10 words, in order and as a set."""
    if not (a / "topics.json").exists() or not (b / "topics.json").exists():
        return None

    def assignments(d: Path) -> dict[str, int]:
        out = {}
        with open(d / "assignments.jsonl") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    out[r["id"]] = r["topic"]
        return out

    ta, tb = assignments(a), assignments(b)
    a_to_b: dict[int, set] = {}
    for doc, t in ta.items():
        a_to_b.setdefault(t, set()).add(tb.get(doc))
    if any(len(v) != 1 for v in a_to_b.values()):
        return {"same_partition": False}
    wa = {t["id"]: [w["word"] for w in t["words"][:10]] for t in read_json(a / "topics.json")["topics"]}
    wb = {t["id"]: [w["word"] for w in t["words"][:10]] for t in read_json(b / "topics.json")["topics"]}
    pairs = [(wa[t], wb[next(iter(v))]) for t, v in a_to_b.items() if t != -1 and t in wa and next(iter(v)) in wb]
    return {
        "same_partition": True,
        "topics": len(pairs),
        "same_top10_in_order": sum(x == y for x, y in pairs),
        "same_top10_as_set": sum(set(x) == set(y) for x, y in pairs),
    }


def fmt(x, nd=2):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def stage_table(res: dict) -> str:
    runs = res["runs"]
    cols = [c for c in ["ours-fp32", "ours-fp32-rerun", "ours-q8", "bertopic", "ours-fp32-refit", "ours-fp32-stop", "bertopic-stop"] if c in runs]
    st = res["embed_sample"].get("sentence-transformers")
    rows = []
    for s in STAGES + ["total"]:
        row = [s]
        for c in cols:
            ss = runs[c].get("stage_seconds") or {}
            cpu = runs[c].get("stage_cpu_seconds") or {}
            if s == "total":
                wall = sum(v for v in ss.values() if isinstance(v, (int, float)))
                if c.startswith("bertopic") and st:
                    wall += st["seconds_all_docs_extrapolated"]
                cpus = sum(v for v in cpu.values() if isinstance(v, (int, float))) if cpu else None
                row.append(f"{wall:.1f}" + (f" ({cpus:.1f})" if cpus else ""))
                continue
            if s == "embed" and c.startswith("bertopic"):
                row.append(f"~{st['seconds_all_docs_extrapolated']:.0f}*" if st else "–")
                continue
            if s == "embed" and ss.get("embed", 0) == 0:
                row.append("(given)")
                continue
            v = ss.get(s)
            row.append(fmt(v, 1) + (f" ({cpu[s]:.1f})" if s in cpu else ""))
        rows.append(row)
    return table(["stage: wall s (cpu s)"] + cols, rows)


def quality_table(res: dict, cols: list[str]) -> str:
    runs = res["runs"]
    cols = [c for c in cols if c in runs and runs[c].get("eval")]
    rows = []
    for k in QUALITY:
        rows.append([k] + [fmt(runs[c]["eval"].get(k), 4) for c in cols])
    return table(["metric"] + cols, rows)


def embed_table(res: dict) -> str:
    rows = []
    for name, e in res["embed_sample"].items():
        if not e:
            continue
        rows.append([name, str(e["docs"]), fmt(e.get("windows")), fmt(e["seconds"], 1), fmt(e.get("cpu_seconds"), 1), fmt(e["docs_per_second"], 2),
                     fmt(e.get("seconds_all_docs_extrapolated"), 0)])
    return table(["engine", "docs", "256-token windows", "wall s", "cpu s", "docs/s", "all docs, extrapolated s"], rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", default="out/bench-batch")
    ap.add_argument("--results", default="bench/batch/results")
    a = ap.parse_args()
    res = collect(Path(a.out_dir))
    Path(a.results).mkdir(parents=True, exist_ok=True)
    day = res["created_at"][:10]
    path = Path(a.results) / f"20newsgroups-{day}.json"
    path.write_text(json.dumps(res, indent=2) + "\n")
    print(f"wrote {path}\n", file=sys.stderr)
    print("Per-stage times, seconds (wall, and CPU seconds of the process where measured):\n")
    print(stage_table(res))
    print("\nTopic quality (topicstream eval):\n")
    print(quality_table(res, ["ours-fp32", "ours-q8", "ours-fp32-refit", "bertopic", "ours-fp32-stop", "bertopic-stop"]))
    print("\nSeed variance (same embeddings, UMAP seed 42 / 43 / 44):\n")
    print(quality_table(res, ["ours-fp32", "ours-fp32-seed43", "ours-fp32-seed44", "bertopic", "bertopic-seed43", "bertopic-seed44"]))
    print("\nSame clusters, other system's c-TF-IDF:\n")
    print(quality_table(res, ["ours-fp32", "cross-ours-labels-bertopic-words", "bertopic", "cross-bertopic-labels-ours-words",
                              "ours-fp32-stop", "cross-stop-ours-labels-bertopic-words", "bertopic-stop", "cross-stop-bertopic-labels-ours-words"]))
    print("\nTop-10 words on the same clusters (topics with identical lists):\n")
    print(table(["pair", "topics", "same top 10, in order", "same top 10, as a set"],
                [[k, fmt(v.get("topics")), fmt(v.get("same_top10_in_order")), fmt(v.get("same_top10_as_set"))] for k, v in res["word_agreement"].items() if v]))
    cm = res.get("clustering_matrix")
    if cm:
        print("\nBoth HDBSCANs on both reductions (our c-TF-IDF for the words; newsgroup labels as truth):\n")
        keys = ["n_clusters", "outlier_ratio", "npmi", "diversity", "nmi", "ari", "nmi_clustered", "ari_clustered", "hdbscan_seconds"]
        print(table(["reduction + clusterer"] + keys, [[k] + [fmt(v.get(x), 4) for x in keys] for k, v in cm["cells"].items()]))
        print(f"\nARI between the two HDBSCANs: {cm['ari_between_hdbscans']}")
    if res["embed_sample"]:
        print("\nEmbedding the same sample of documents:\n")
        print(embed_table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
