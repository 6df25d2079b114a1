"""pynndescent's time and recall@15 for a few of its settings (docs/benchmarks.md, "Performance").

python pynndescent_sweep.py <rows.f32> <exact.i32> [n]

<rows.f32>: row-major float32 rows of 384 dims (bench/stream/.cache); <exact.i32>: the brute-force
graph of the first n rows as bench/knn/compareNnDescent.ts caches it (n x 15 int32, self first, in
bench/knn/.cache). Each setting 3 runs (seeds 42-44) after a warm-up call (numba's compilation);
recall as knnRecall: the 14 nearest others of each row.
"""
import json
import sys
import time

import numpy as np
import pynndescent

k = 15
rows_path, exact_path = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 18800
dim = 384
x = np.fromfile(rows_path, dtype=np.float32, count=n * dim).reshape(n, dim)
exact = np.fromfile(exact_path, dtype=np.int32).reshape(n, k)


def others(row, i):
    return [j for j in row if j != i][: k - 1]


truth = [set(others(exact[i], i)) for i in range(n)]


def recall(idx):
    return sum(len(truth[i] & set(others(idx[i], i))) for i in range(n)) / (n * (k - 1))


pynndescent.NNDescent(np.random.default_rng(0).standard_normal((2000, dim)).astype(np.float32), metric="cosine", n_neighbors=k).neighbor_graph
for kw in [{}, {"max_candidates": 20}, {"max_candidates": 25}, {"max_candidates": 30}, {"n_trees": 16}, {"n_iters": 30, "delta": 0.0005}]:
    wall, cpu = [], []
    for r in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        idx, _ = pynndescent.NNDescent(x, metric="cosine", n_neighbors=k, random_state=42 + r, **kw).neighbor_graph
        wall.append(round(time.perf_counter() - t0, 3))
        cpu.append(round(time.process_time() - c0, 2))
    print(json.dumps({"settings": kw, "seconds": wall, "cpuSeconds": cpu, "recall": round(recall(idx), 4)}), flush=True)
