#!/usr/bin/env python3
"""Where topicstream and BERTopic part on identical input: tie-breaking. Per seed, writes
OUT/ties.json (read by collect_results.py):

  auto   (c) on the same clusters: the topic vectors of ours-sS/defaults (mean embedding per topic,
         L2-normalised, as BERTopic's _auto_reduce_topics), HDBSCAN(min_cluster_size=2) from the
         `hdbscan` package, and the same minimum spanning tree (Prim, as the package runs above 60
         dimensions) sorted two ways before single linkage: np.argsort's default quicksort (what
         the package does; not stable) and a stable sort (equal weights in edge order). Each
         grouping of topics is compared with ours-sS/auto's merges.
  docs   (a)'s HDBSCAN on our UMAP output (ours-sS/defaults/model/reduced.f32, min_cluster_size 10):
         the package's default (Borůvka below 60 dimensions), and Prim's tree sorted both ways,
         each against our labels (ARI).
  mmr    (d) on the same clusters (ours-sS vs cross-sS): for each topic, are the 30 c-TF-IDF
         candidates the same list, the same set in another order (tied scores), or another set
         (a tie at the 30th place), and are the MMR words the same set.

  /tmp/bt/bin/python bench/toolbox/ties.py --out-dir out/bench-toolbox --seeds "42 43 44"
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import KDTree
from sklearn.preprocessing import normalize

import hdbscan
from hdbscan._hdbscan_linkage import label, mst_linkage_core_vector
from hdbscan._hdbscan_tree import compute_stability, condense_tree, get_clusters
from hdbscan.dist_metrics import DistanceMetric


def assignments(d: Path) -> dict[str, int]:
    out = {}
    for line in open(d / "assignments.jsonl", encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            out[r["id"]] = int(r["topic"])
    return out


def words(p: Path) -> dict[int, list[str]]:
    t = json.loads(p.read_text())
    return {int(x["id"]): [w["word"] for w in x["words"]] for x in t["topics"]}


def prim_labels(points: np.ndarray, min_samples: int, min_cluster_size: int) -> dict:
    """The package's _hdbscan_prims_kdtree, its MST sorted by quicksort (as it does) and stably."""
    tree = KDTree(points, metric="euclidean", leaf_size=40)
    core = tree.query(points, k=min_samples + 1, dualtree=True, breadth_first=True)[0][:, -1].copy(order="C")
    mst = mst_linkage_core_vector(points, core, DistanceMetric.get_metric("euclidean"), 1.0)
    w = mst.T[2]
    tied = Counter(w)
    out = {"mst_edges": int(len(w)), "edges_with_a_tied_weight": int(sum(v for v in tied.values() if v > 1))}
    for kind in ("quicksort", "stable"):
        ct = condense_tree(label(mst[np.argsort(w, kind=kind)]), min_cluster_size)
        lab, _, _ = get_clusters(ct, compute_stability(ct), "eom", False, False, 0.0, 0)
        out[kind] = lab
    return out


def groups(labels: np.ndarray) -> set[frozenset]:
    """Topics grouped by HDBSCAN cluster; noise topics stay alone."""
    g: dict = {}
    for t, c in enumerate(labels):
        g.setdefault(("c", int(c)) if c >= 0 else ("n", t), set()).add(t)
    return {frozenset(v) for v in g.values()}


def auto_check(out_dir: Path, seed: str, emb: np.ndarray, ids: list[str]) -> dict:
    a = assignments(out_dir / f"ours-s{seed}" / "defaults")
    lab = np.array([a[i] for i in ids])
    topics = sorted(int(t) for t in set(lab) if t != -1)
    pts = normalize(np.array([emb[lab == t].mean(axis=0) for t in topics]), norm="l2").astype(np.float64)
    pkg = hdbscan.HDBSCAN(min_cluster_size=2, metric="euclidean", cluster_selection_method="eom", prediction_data=True).fit(pts).labels_
    prim = prim_labels(pts, 2, 2)
    # ours: which old topics ended up together in ours-sS/auto
    b = assignments(out_dir / f"ours-s{seed}" / "auto")
    merged: dict[int, set[int]] = {}
    for doc, t in a.items():
        if t != -1:
            merged.setdefault(b[doc], set()).add(topics.index(t))
    ours = {frozenset(v) for v in merged.values()}

    def row(lbl):
        g = groups(lbl)
        return {"topics_after": len(g), "same_grouping_as_ours": g == ours}

    return {
        "topics": len(topics),
        "ours_topics_after": len(ours),
        "mst_edges": prim["mst_edges"],
        "edges_with_a_tied_weight": prim["edges_with_a_tied_weight"],
        "hdbscan_package": row(pkg),
        "prim_quicksort": {**row(prim["quicksort"]), "same_as_package": bool(groups(prim["quicksort"]) == groups(pkg))},
        "prim_stable_sort": row(prim["stable"]),
    }


def docs_check(out_dir: Path, seed: str) -> dict:
    d = out_dir / f"ours-s{seed}" / "defaults" / "model"
    n = json.loads((d / "manifest.json").read_text())["n_docs"]
    red = np.fromfile(d / "reduced.f32", dtype="<f4").reshape(n, -1).astype(np.float64)
    ours = np.fromfile(d / "labels.i32", dtype="<i4")
    pkg = hdbscan.HDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom", prediction_data=True).fit(red).labels_
    prim = prim_labels(red, 10, 10)

    def row(lbl):
        return {"clusters": int(lbl.max() + 1), "noise": int((lbl < 0).sum()), "ari_vs_ours": round(float(adjusted_rand_score(ours, lbl)), 4)}

    return {
        "ours": {"clusters": int(ours.max() + 1), "noise": int((ours < 0).sum())},
        "mst_edges": prim["mst_edges"],
        "edges_with_a_tied_weight": prim["edges_with_a_tied_weight"],
        "hdbscan_package_boruvka": row(pkg),
        "prim_quicksort": {**row(prim["quicksort"]), "ari_vs_package": round(float(adjusted_rand_score(pkg, prim["quicksort"])), 4)},
        "prim_stable_sort": {**row(prim["stable"]), "ari_vs_package": round(float(adjusted_rand_score(pkg, prim["stable"])), 4)},
    }


def mmr_check(out_dir: Path, seed: str) -> dict | None:
    o, c = out_dir / f"ours-s{seed}", out_dir / f"cross-s{seed}"
    if not (c / "mmr" / "topics.json").exists():
        return None
    a, b = assignments(o / "defaults"), assignments(c / "defaults")
    pairs = Counter((a[k], b[k]) for k in a)
    match: dict[int, tuple[int, int]] = {}
    for (p, q), n in pairs.items():
        if p != -1 and (p not in match or n > match[p][1]):
            match[p] = (q, n)
    oc, bc = words(o / "defaults" / "model" / "manifest.json"), words(c / "defaults" / "topics.json")
    om, bm = words(o / "mmr" / "model" / "manifest.json"), words(c / "mmr" / "topics.json")
    stats: Counter = Counter()
    for p, (q, _) in match.items():
        cand = "same list" if oc[p] == bc[q] else "same set, tied words in another order" if set(oc[p]) == set(bc[q]) else "another set (tie at the 30th place)"
        stats[f"candidates {cand}; MMR words {'same' if set(om[p]) == set(bm[q]) else 'differ'}"] += 1
    return dict(sorted(stats.items()))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out-dir", default="out/bench-toolbox")
    p.add_argument("--seeds", default="42 43 44")
    args = p.parse_args()
    out_dir = Path(args.out_dir)
    m = json.loads((out_dir / "embed" / "model" / "manifest.json").read_text())
    emb = np.fromfile(out_dir / "embed" / "model" / "embeddings.f32", dtype="<f4").reshape(m["n_docs"], m["dim"])
    ids = [json.loads(line)["id"] for line in open(out_dir / "embed" / "model" / "docs.jsonl", encoding="utf-8") if line.strip()]
    res = {}
    for seed in args.seeds.split():
        res[seed] = {"auto": auto_check(out_dir, seed, emb, ids), "docs": docs_check(out_dir, seed), "mmr": mmr_check(out_dir, seed)}
        print(seed, json.dumps(res[seed]))
    (out_dir / "ties.json").write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
