#!/usr/bin/env bash
# Issue 12's measurements in one run, one after the other on the same machine (docs/benchmarks.md,
# "Performance"): the embedder against a bare onnxruntime session, our k-NN graphs against
# pynndescent, refit time against window size, and throughput and latency through the broker; then
# bench/perf/collect.mjs gathers the newest result of each into bench/perf/results/perf-<date>.json
# with the ratios against the issue's goals.
#
#   bench/perf/run.sh              # everything (~30-40 min on 2 quiet cores; needs the broker for the last step)
#   bench/perf/run.sh embed knn    # only these steps: embed knn refit throughput collect
# Needs: the model (topicstream model pull), /tmp/bt or another Python with pynndescent
# (PYTHON=...), the tweet embedding cache bench/stream/.cache (refitTime builds it on first use).
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${*:-embed knn refit throughput collect}
npx tsc -p tsconfig.json
log() { printf '[%s] %s (load %s)\n' "$(date -u +%H:%M:%S)" "$*" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }
CACHE=bench/stream/.cache/trump-first40000-sentence-transformers_all-MiniLM-L6-v2-fp32.f32
for step in $STEPS; do
  case $step in
    embed) log "embedder vs bare session"; node dist/bench/embed/embedderVsBare.js --docs 2000 --dtype both --corpus both --rounds 2 ;;
    knn)
      [ -e "$CACHE" ] || node dist/bench/stream/refitTime.js --sizes 5000 --repeats 1
      # ours on as many threads as pynndescent's numba (one per core), and on one (the service's default)
      log "k-NN graph: NN-descent, HNSW, pynndescent at 18.8k"
      CONFIG='{"knn":{"nnDescent":{"threads":"auto"}}}' node dist/bench/knn/compareNnDescent.js "$CACHE" 18800 3 ;;
    refit)
      log "refit time 5k-50k (the first 40,000 tweets; 50k adds 20 Newsgroups posts when a fit of them is at hand)"
      EXTRA=out/bench-toolbox/ours-s43/defaults
      if [ -e "$EXTRA/model/embeddings.f32" ]; then node dist/bench/stream/refitTime.js --sizes 5000,10000,20000,40000,50000 --repeats 1 --extra-20ng "$EXTRA"
      else node dist/bench/stream/refitTime.js --sizes 5000,10000,20000,40000 --repeats 1; fi ;;
    throughput) log "throughput and latency through the broker (paced at half of saturation)"; node dist/bench/stream/throughput.js --n 5000 --paced 2500 --paced-share 0.5 ;;
    collect) node bench/perf/collect.mjs ;;
    *) echo "unknown step $step (embed knn refit throughput collect)" >&2; exit 2 ;;
  esac
done
