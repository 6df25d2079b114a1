"""Times the Python `hdbscan` package on the points written by hdbscanSpeed.js --out (not a test).

    python3 bench/cluster/hdbscan_python.py /tmp/hdb-bench-50000.f32 [labels_out.i32]

BERTopic's settings: min_cluster_size=10, euclidean, eom, prediction_data=True; the package's
default algorithm (Borůvka kd-tree, approximate MST, core distances on up to 4 jobs).
Prints one JSON line with the fit time, the prediction data time, clusters, noise share and peak RSS.
"""
import json
import resource
import sys
import time

import numpy as np
import hdbscan

path = sys.argv[1]
x = np.fromfile(path, dtype=np.float32).reshape(-1, 5).astype(np.float64)
# The first fit also starts joblib's worker processes for the core distances (seconds on a busy
# machine); the second fit is the steady state of a long-running process.
t0 = time.perf_counter()
hdbscan.HDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom").fit(x)
cold = time.perf_counter() - t0
t0 = time.perf_counter()
c = hdbscan.HDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom").fit(x)
t1 = time.perf_counter()
c.generate_prediction_data()  # what prediction_data=True does at the end of fit
t2 = time.perf_counter()
if len(sys.argv) > 2:
    c.labels_.astype(np.int32).tofile(sys.argv[2])
print(json.dumps({
    "n": len(x),
    "first_fit_ms": round(cold * 1000),
    "fit_ms": round((t1 - t0) * 1000),
    "prediction_data_ms": round((t2 - t1) * 1000),
    "clusters": int(c.labels_.max() + 1),
    "noise": round(float(np.mean(c.labels_ < 0)), 3),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
