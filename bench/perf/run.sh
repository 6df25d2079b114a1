#!/usr/bin/env bash
# Issue 12's measurements in one run, one after the other on the same machine (docs/benchmarks.md,
# "Performance"): the embedder against a bare onnxruntime session, our k-NN graphs against
# pynndescent, refit time against window size, and throughput and latency through the broker; then
# bench/perf/collect.mjs gathers the newest result of each into bench/perf/results/perf-<date>.json
# with the ratios against the issue's goals.
#
#   bench/perf/run.sh              # everything (~40 min on 2 quiet cores; on a fresh clone ~10 min more)
#   bench/perf/run.sh embed knn    # only these steps: embed knn refit throughput collect
# After `npm ci`, it provides what it needs: the model (topicstream model pull, cached), pynndescent
# in a virtualenv under $TOPICSTREAM_CACHE (bench/knn/requirements.txt; or PYTHON=<a Python that has
# it>), the embeddings of the first 40,000 tweets and 10,000 20 Newsgroups bodies
# (bench/stream/.cache, built on first use), and a local broker for the throughput step
# (npm run kafka:up; left running).
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${*:-embed knn refit throughput collect}
npx tsc -p tsconfig.json
node dist/src/cli/main.js model pull --dtype both
log() { printf '[%s] %s (load %s)\n' "$(date -u +%H:%M:%S)" "$*" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }
CACHE=bench/stream/.cache/trump-first40000-sentence-transformers_all-MiniLM-L6-v2-fp32.f32
for step in $STEPS; do
  case $step in
    embed) log "embedder vs bare session"; node dist/bench/embed/embedderVsBare.js --docs 2000 --dtype both --corpus both --rounds 2 ;;
    knn)
      [ -e "$CACHE" ] || node dist/bench/stream/refitTime.js --sizes 5000 --repeats 1
      if [ -z "${PYTHON:-}" ]; then
        VENV=${TOPICSTREAM_CACHE:-$HOME/.cache/topicstream}/bench-venv
        [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
        "$VENV/bin/python" -c 'import pynndescent' 2>/dev/null || "$VENV/bin/pip" install -q -r bench/knn/requirements.txt
        export PYTHON=$VENV/bin/python
      fi
      # ours on as many threads as pynndescent's numba (one per core), and on one (the service's default)
      log "k-NN graph: NN-descent, HNSW, pynndescent at 18.8k"
      CONFIG='{"knn":{"nnDescent":{"threads":"auto"}}}' node dist/bench/knn/compareNnDescent.js "$CACHE" 18800 3 ;;
    refit)
      log "refit time 5k-50k (the first 40,000 tweets; the 50k window adds 10,000 20 Newsgroups bodies)"
      node dist/bench/stream/refitTime.js --sizes 5000,10000,20000,40000,50000 --repeats 1 ;;
    throughput)
      npm run kafka:up
      log "throughput and latency through the broker (paced at half of saturation)"; node dist/bench/stream/throughput.js --n 5000 --paced 2500 --paced-share 0.5 ;;
    collect) node bench/perf/collect.mjs ;;
    *) echo "unknown step $step (embed knn refit throughput collect)" >&2; exit 2 ;;
  esac
done
