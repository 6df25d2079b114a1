#!/usr/bin/env python3
"""Which stage makes the two systems' clusterings differ? Runs both HDBSCANs on both 5-d
reductions of the same exported embeddings:

               topicstream HDBSCAN        hdbscan (Python)
  our UMAP     = topicstream fit           hdbscan on model/reduced.f32
  umap-learn   our HDBSCAN on umap-learn   = BERTopic (umap-learn random_state 42, as the reference)

and scores each against the newsgroup labels (NMI/ARI, outliers as one cluster and left out),
plus ARI between the two HDBSCANs on the same reduction.

  python3 bench/batch/clustering_matrix.py --from out/bench-batch/ours-fp32 \
      --node-script out/bench-batch/build/dist/bench/batch/clusterReduced.js --out out/bench-batch/clustering_matrix.json
"""
import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def scores(labels: np.ndarray, truth: np.ndarray) -> dict:
    m = labels != -1
    return {
        "n_clusters": int(len(set(labels.tolist()) - {-1})),
        "outlier_ratio": round(float(1 - m.mean()), 4),
        "nmi": round(normalized_mutual_info_score(truth, labels), 4),
        "ari": round(adjusted_rand_score(truth, labels), 4),
        "nmi_clustered": round(normalized_mutual_info_score(truth[m], labels[m]), 4),
        "ari_clustered": round(adjusted_rand_score(truth[m], labels[m]), 4),
    }


def python_hdbscan(x: np.ndarray) -> tuple[np.ndarray, float]:
    from hdbscan import HDBSCAN

    t0 = time.perf_counter()
    c = HDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom", prediction_data=True).fit(x)
    return c.labels_.astype(np.int32), time.perf_counter() - t0


def node_hdbscan(x: np.ndarray, script: str) -> tuple[np.ndarray, float]:
    with tempfile.TemporaryDirectory() as d:
        src, dst = Path(d) / "reduced.f32", Path(d) / "labels.i32"
        x.astype("<f4").tofile(src)
        out = subprocess.run(["node", script, "--reduced", str(src), "--dim", str(x.shape[1]), "--out", str(dst)],
                             check=True, capture_output=True, text=True).stdout
        return np.fromfile(dst, dtype="<i4"), json.loads(out)["seconds"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", required=True)
    ap.add_argument("--node-script", required=True)
    ap.add_argument("--bertopic", default=None, help="BERTopic run folder, to check umap-learn+hdbscan here reproduces it")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--write-assignments", default=None,
                    help="folder: write each cell's labels as DIR/<cell>/assignments.jsonl (for describeFromAssignments + eval)")
    a = ap.parse_args()
    mdir = Path(a.src) / "model"
    man = json.loads((mdir / "manifest.json").read_text())
    n, dim, rdim = man["n_docs"], man["dim"], man["reduced_dim"]
    docs = [json.loads(line) for line in (mdir / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    truth = np.array([d.get("label") for d in docs])
    emb = np.fromfile(mdir / "embeddings.f32", dtype="<f4").reshape(n, dim)
    ours_red = np.fromfile(mdir / "reduced.f32", dtype="<f4").reshape(n, rdim)
    ours_labels = np.fromfile(mdir / "labels.i32", dtype="<i4")

    from umap import UMAP

    t0 = time.perf_counter()
    ul_red = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False, random_state=a.seed).fit_transform(emb)
    umap_s = time.perf_counter() - t0

    res = {"n_docs": n, "umap_learn_seconds": round(umap_s, 1), "cells": {}}
    py_ours, t_py_ours = python_hdbscan(ours_red)
    node_ul, t_node_ul = node_hdbscan(ul_red, a.node_script)
    py_ul, t_py_ul = python_hdbscan(ul_red)
    node_ours, t_node_ours = node_hdbscan(ours_red, a.node_script)
    cells = {
        "our UMAP + our HDBSCAN": (node_ours, t_node_ours),
        "our UMAP + hdbscan": (py_ours, t_py_ours),
        "umap-learn + our HDBSCAN": (node_ul, t_node_ul),
        "umap-learn + hdbscan": (py_ul, t_py_ul),
    }
    for k, (lab, t) in cells.items():
        res["cells"][k] = {**scores(lab, truth), "hdbscan_seconds": round(t, 2)}
    if a.write_assignments:
        slug = {"our UMAP + our HDBSCAN": "ourumap-ourhdbscan", "our UMAP + hdbscan": "ourumap-hdbscan",
                "umap-learn + our HDBSCAN": "umaplearn-ourhdbscan", "umap-learn + hdbscan": "umaplearn-hdbscan"}
        for k, (lab, _) in cells.items():
            d = Path(a.write_assignments) / f"matrix-{slug[k]}"
            d.mkdir(parents=True, exist_ok=True)
            with open(d / "assignments.jsonl", "w", encoding="utf-8") as f:
                for doc, t in zip(docs, lab):
                    f.write(json.dumps({"id": doc["id"], "topic": int(t), "probability": 1.0}) + "\n")
            res["cells"][k]["folder"] = str(d)
    res["ari_between_hdbscans"] = {
        "on our UMAP": round(adjusted_rand_score(py_ours, node_ours), 4),
        "on umap-learn": round(adjusted_rand_score(py_ul, node_ul), 4),
    }
    res["our_fit_labels_reproduced"] = bool(np.array_equal(node_ours, ours_labels) or adjusted_rand_score(node_ours, ours_labels) == 1.0)
    if a.bertopic:
        bt = {}
        for line in open(Path(a.bertopic) / "assignments.jsonl"):
            r = json.loads(line)
            bt[r["id"]] = r["topic"]
        bt_labels = np.array([bt[d["id"]] for d in docs])
        res["bertopic_reproduced_ari"] = round(adjusted_rand_score(bt_labels, py_ul), 4)
    Path(a.out).write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
