#!/usr/bin/env python3
"""BERTopic's toolbox on one fit, for the toolbox benchmark (bench/toolbox/run.sh).

On the documents and embeddings of a `topicstream fit --out` folder, with one UMAP seed:
fits BERTopic once with its defaults (bench/batch/bertopic_reference.py's models), then applies
each option to a fresh copy of the fitted model, as a BERTopic user does, and writes each result
in topicstream's output format (topics.json + assignments.jsonl) for `topicstream eval`:

  OUT/defaults   fit_transform(docs, embeddings)
  OUT/outliers   new = reduce_outliers(docs, topics, strategy="c-tf-idf"); update_topics(docs, topics=new)
  OUT/auto       reduce_topics(docs, nr_topics="auto")
  OUT/mmr        update_topics(docs, representation_model=MaximalMarginalRelevance(diversity=D))

MMR embeds its candidate words with the model's embedding model. BERTopic is given precomputed
document embeddings and no embedding model, so the MMR copy gets a backend that looks the strings
up in vectors made by topicstream's own embedder (bench/toolbox/embedStrings.mjs, the same
all-MiniLM-L6-v2 that embedded the documents; for short strings its vectors equal
sentence-transformers'). Both systems' MMR therefore see identical word vectors. The strings are
found by a first MMR pass with a recording backend, embedded once, and cached in --word-cache.

Topic words: 30 per topic for defaults/outliers/auto (BERTopic computes 30 c-TF-IDF words and keeps
top_n_words; topicstream keeps 30 so diversity can use the top 25); MMR returns top_n_words = 10
words, on both sides.

Times (wall and CPU seconds of this process) per option go to OUT/bertopic_toolbox.json.

With --labels-from DIR, UMAP and HDBSCAN are skipped and the clusters are DIR/assignments.jsonl's
(BaseDimensionalityReduction, BaseCluster): BERTopic's toolbox on topicstream's own clusters, to
tell differences of the toolbox from differences of the clustering.

Usage:
  /tmp/bt/bin/python bench/toolbox/bertopic_toolbox.py --from out/bench-toolbox/embed --seed 42 \
      --out out/bench-toolbox/bertopic-s42 --build out/bench-toolbox/build/dist \
      [--diversity 0.1] [--word-cache out/bench-toolbox/bertopic-words] [--no-warmup] [--labels-from DIR]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "batch"))
import bertopic_reference as ref  # noqa: E402  (load_exported, build_topic_model, topic_words_30, write_outputs, ...)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="src", required=True, help="a `topicstream fit --out` folder (its model/ holds docs and embeddings)")
    p.add_argument("--out", required=True, help="output folder; one sub-folder per option")
    p.add_argument("--seed", type=int, default=42, help="UMAP random_state (default 42)")
    p.add_argument("--diversity", type=float, default=0.1, help="MaximalMarginalRelevance diversity (default 0.1, BERTopic's)")
    p.add_argument("--build", required=True, help="compiled topicstream tree for the word vectors (e.g. out/bench-toolbox/build/dist)")
    p.add_argument("--word-cache", default=None, help="folder caching the word vectors across runs (strings.json + vectors.f32)")
    p.add_argument("--no-warmup", action="store_true", help="do not run the numba warm-up fit first")
    p.add_argument("--only", default="defaults,outliers,auto,mmr", help="options to run, comma-separated")
    p.add_argument("--labels-from", default=None,
                   help="skip UMAP/HDBSCAN: take the clusters from this folder's assignments.jsonl (e.g. topicstream's "
                        "defaults), so BERTopic's toolbox runs on exactly the clusters topicstream's did")
    return p.parse_args()


# ---------------------------------------------------------------- word vectors for MMR

class Lookup:
    """A BERTopic backend that looks strings up (unknown ones recorded, a stand-in vector returned)."""

    def __init__(self, vectors: dict[str, np.ndarray], dim: int):
        from bertopic.backend import BaseEmbedder

        class _Backend(BaseEmbedder):
            def embed(inner, documents, verbose=False):  # noqa: N805
                out = []
                for t in documents:
                    v = vectors.get(t)
                    if v is None:
                        self.missing.add(t)
                        v = np.ones(dim, dtype=np.float32)
                    out.append(v)
                return np.vstack(out)

        self.missing: set[str] = set()
        self.backend = _Backend()


class WordCache:
    def __init__(self, folder: Path | None, build: str, dim: int):
        self.folder, self.build, self.dim = folder, build, dim
        self.vectors: dict[str, np.ndarray] = {}
        self.embed_seconds = 0.0
        if folder and (folder / "strings.json").exists():
            strings = json.loads((folder / "strings.json").read_text(encoding="utf-8"))
            vecs = np.fromfile(folder / "vectors.f32", dtype="<f4").reshape(len(strings), dim)
            self.vectors = {s: vecs[i] for i, s in enumerate(strings)}

    def add(self, strings: list[str]) -> None:
        strings = sorted(s for s in set(strings) if s not in self.vectors)
        if not strings:
            return
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.f32")
            Path(src).write_text(json.dumps(strings), encoding="utf-8")
            t0 = time.perf_counter()
            subprocess.run(["node", str(HERE / "embedStrings.mjs"), self.build, src, dst], check=True)
            self.embed_seconds += time.perf_counter() - t0
            vecs = np.fromfile(dst, dtype="<f4").reshape(len(strings), self.dim)
        for i, s in enumerate(strings):
            self.vectors[s] = vecs[i]
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            keys = list(self.vectors)
            tmp_s, tmp_v = self.folder / "strings.json.tmp", self.folder / "vectors.f32.tmp"
            tmp_s.write_text(json.dumps(keys), encoding="utf-8")
            np.vstack([self.vectors[k] for k in keys]).astype("<f4").tofile(tmp_v)
            os.replace(tmp_v, self.folder / "vectors.f32")
            os.replace(tmp_s, self.folder / "strings.json")


# ---------------------------------------------------------------- options

def fresh_copy(model):
    """A deep copy of the fitted model, without bertopic_reference's timing wrappers (instance
    attributes closing over the original's bound methods, which deepcopy would keep)."""
    m = copy.deepcopy(model)
    for k in ("_extract_topics", "_save_representative_docs"):
        m.__dict__.pop(k, None)
    return m


def words_of(model, texts, topics, n30: bool):
    if n30:
        return ref.topic_words_30(model, texts, list(topics))
    # the representation's own words (MMR: top_n_words, in c-TF-IDF order, with c-TF-IDF scores)
    return {int(t): [(w, float(s)) for w, s in model.get_topic(t) if w != ""] for t in sorted(model.get_topics())}


def main() -> int:
    args = parse_args()
    from bertopic.representation import MaximalMarginalRelevance

    src, out = Path(args.src), Path(args.out)
    only = set(args.only.split(","))
    docs, embeddings, manifest = ref.load_exported(src)
    texts = [d["text"] for d in docs]
    out.mkdir(parents=True, exist_ok=True)
    run: dict = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "from": str(src),
        "n_docs": len(docs),
        "seed": args.seed,
        "diversity": args.diversity,
        "embedding_model": manifest.get("model_id"),
        "versions": ref.versions(),
        "loadavg_before": os.getloadavg(),
        "options": {},
    }

    y = None
    if args.labels_from:
        y = ref.labels_from(args.labels_from, docs)
        run["labels_from"] = args.labels_from

    if not args.no_warmup and y is None:
        warm = ref.StageClock()
        rng = np.random.default_rng(args.seed)
        sub = rng.choice(len(docs), size=min(len(docs), 5000), replace=False)
        t0 = time.perf_counter()
        umap_model, hdbscan_model, _, _ = ref.make_models(warm, args.seed, None)
        hdbscan_model.fit(umap_model.fit_transform(embeddings[sub]))
        run["warmup_seconds"] = round(time.perf_counter() - t0, 2)
        print(f"warm-up: {run['warmup_seconds']}s", file=sys.stderr)

    # (a) the fit, once
    clock = ref.StageClock()
    model = ref.build_topic_model(clock, args.seed, None, y is not None)
    t = clock.start()
    topics, probs = model.fit_transform(texts, embeddings=embeddings, y=y)
    clock.stop("fit_transform", t)
    topics = list(topics)
    probs = np.ones(len(texts)) if probs is None else probs
    fit_s, fit_cpu = clock.seconds["fit_transform"], clock.cpu["fit_transform"]
    stage = {
        "knn": clock.seconds.get("knn", 0.0),
        "umap": clock.seconds.get("umap_total", 0.0) - clock.seconds.get("knn", 0.0),
        "hdbscan": clock.seconds.get("hdbscan", 0.0),
    }
    stage["ctfidf"] = fit_s - sum(stage.values())
    stage = {k: round(v, 2) for k, v in stage.items()}

    def emit(name: str, m, tops, seconds: float, cpu: float, n30: bool = True, extra: dict | None = None):
        w = words_of(m, texts, tops, n30)
        meta = {"model": f"bertopic {run['versions']['bertopic']}", "created_at": run["date"], "seed": args.seed, "option": name,
                "option_seconds": round(seconds, 2), "fit_seconds": round(fit_s, 2)}
        ref.write_outputs(out / name, docs, list(tops), probs, w, m, meta)
        rec = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
               "topics": sum(1 for k in w if k != -1), "outliers": sum(1 for x in tops if x == -1), **(extra or {})}
        run["options"][name] = rec
        print(f"bertopic seed {args.seed} {name}: {rec['topics']} topics, {rec['outliers']} outliers, {rec['seconds']}s", file=sys.stderr)

    if "defaults" in only:
        emit("defaults", model, topics, fit_s, fit_cpu, extra={"stage_seconds": stage})

    if "outliers" in only:
        m = fresh_copy(model)
        t0, c0 = time.perf_counter(), time.process_time()
        new_topics = m.reduce_outliers(texts, topics, strategy="c-tf-idf")
        t1 = time.perf_counter()
        m.update_topics(texts, topics=new_topics)
        t2 = time.perf_counter()
        emit("outliers", m, list(new_topics), t2 - t0, time.process_time() - c0,
             extra={"reduce_outliers_seconds": round(t1 - t0, 2), "update_topics_seconds": round(t2 - t1, 2)})

    if "auto" in only:
        m = fresh_copy(model)
        t0, c0 = time.perf_counter(), time.process_time()
        m.reduce_topics(texts, nr_topics="auto")
        emit("auto", m, list(m.topics_), time.perf_counter() - t0, time.process_time() - c0)

    if "mmr" in only:
        cache = WordCache(Path(args.word_cache) if args.word_cache else None, args.build, embeddings.shape[1])
        # pass 1: which strings MMR embeds (the 30 candidates of every topic and their joined string)
        probe = Lookup(cache.vectors, embeddings.shape[1])
        m = fresh_copy(model)
        m.embedding_model = probe.backend
        m.update_topics(texts, representation_model=MaximalMarginalRelevance(diversity=args.diversity))
        cache.add(sorted(probe.missing))
        # pass 2, timed: every string known
        look = Lookup(cache.vectors, embeddings.shape[1])
        m = fresh_copy(model)
        m.embedding_model = look.backend
        t0, c0 = time.perf_counter(), time.process_time()
        m.update_topics(texts, representation_model=MaximalMarginalRelevance(diversity=args.diversity))
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        if look.missing:
            sys.exit(f"mmr: {len(look.missing)} strings without a vector, e.g. {sorted(look.missing)[:3]}")
        emit("mmr", m, list(m.topics_), secs, cpu, n30=False,
             extra={"word_strings": len(probe.missing), "word_embed_seconds": round(cache.embed_seconds, 2),
                    "note": "seconds exclude embedding the words (word_embed_seconds, topicstream's embedder)"})

    run["fit_transform_seconds"] = round(fit_s, 2)
    run["fit_transform_cpu_seconds"] = round(fit_cpu, 2)
    run["stage_seconds"] = stage
    run["loadavg_after"] = os.getloadavg()
    (out / "bertopic_toolbox.json").write_text(json.dumps(run, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
