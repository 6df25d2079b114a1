"""pynndescent's k-NN graph of raw float32 rows, for bench/knn/compareNnDescent.ts.

python pynndescent_knn.py <rows.f32> <n> <dim> <k> <seed> <out.i32> [repeats]

Times NNDescent(x, metric='cosine', n_neighbors=k, random_state=seed) after a warm-up call on a
small random matrix (numba compiles on first use; that compile time is reported separately),
and its CPU time (all threads), then writes the neighbour indices (n*k int32, row-major, as pynndescent returns them) to out.i32
and one JSON line to stdout.
"""
import json
import sys
import time

import numpy as np

path, n, dim, k, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
repeats = int(sys.argv[7]) if len(sys.argv) > 7 else 1
x = np.fromfile(path, dtype=np.float32, count=n * dim).reshape(n, dim)

t0 = time.perf_counter()
import pynndescent  # noqa: E402
import numba  # noqa: E402
t_import = time.perf_counter() - t0

warm = np.random.default_rng(0).standard_normal((2000, dim)).astype(np.float32)
t0 = time.perf_counter()
pynndescent.NNDescent(warm, metric="cosine", n_neighbors=k, random_state=seed).neighbor_graph
t_compile = time.perf_counter() - t0

times = []
cpu = []
for r in range(repeats):
    t0 = time.perf_counter()
    c0 = time.process_time()
    idx, dist = pynndescent.NNDescent(x, metric="cosine", n_neighbors=k, random_state=seed + r).neighbor_graph
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
np.ascontiguousarray(idx, dtype=np.int32).tofile(out)
self_first = float(np.mean(idx[:, 0] == np.arange(n)))
print(json.dumps({
    "pynndescent": pynndescent.__version__ if hasattr(pynndescent, "__version__") else None,
    "numba": numba.__version__,
    "numbaThreads": numba.get_num_threads(),
    "importSeconds": t_import,
    "warmupSeconds": t_compile,
    "seconds": times,
    "cpuSeconds": cpu,
    "selfFirstShare": self_first,
}))
