#!/usr/bin/env bash
# The batch benchmark: topicstream vs BERTopic on 20 Newsgroups (all posts, --text-field body).
#
#   bench/batch/run.sh                 # every step; a step whose output exists is skipped
#   bench/batch/run.sh fit-fp32 eval   # only these steps (in the order given)
#   FORCE=1 bench/batch/run.sh ...     # redo steps even when their output exists
#   Q8=1 bench/batch/run.sh            # also the int8 embedder (a second full embed)
#   RERUN=1 bench/batch/run.sh         # and the fp32 fit a second time (another wall-time sample)
#
# Steps: build machine fit-fp32 bertopic refit stop cross seeds matrix embed-ours q8 rerun eval collect
# Outputs go to $OUT (default out/bench-batch, not committed); the summary to
# bench/batch/results/20newsgroups-<date>.json, and a table is printed.
# Environment: INPUT (default ../shared/data/20newsgroups_bydate.jsonl.gz), OUT, EMBED_SAMPLE
# (docs for the sentence-transformers / our embedder speed comparison, default 2000; 0 = all).
set -euo pipefail
export HF_HUB_OFFLINE=1
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
INPUT=${INPUT:-../shared/data/20newsgroups_bydate.jsonl.gz}
OUT=${OUT:-out/bench-batch}
EMBED_SAMPLE=${EMBED_SAMPLE:-2000}
FORCE=${FORCE:-0}
BENCH=bench/batch
BUILD=$OUT/build
LOGS=$OUT/logs
mkdir -p "$OUT" "$LOGS" "$BENCH/results"

# The benchmark runs its own compiled copy of the tree, so that other people rebuilding dist/
# during a long run cannot change the code half-way (the UMAP worker script loads late).
TS="node $BUILD/dist/src/cli/main.js"
BN="node $BUILD/dist/$BENCH"

# log, have, loadavg, run: bench/runSteps.sh
. bench/runSteps.sh

# eval_model NAME DIR [extra eval args]: topicstream eval, JSON to DIR/eval.json
eval_model() {
  local name=$1 dir=$2
  shift 2
  have "$dir/eval.json" && return 0
  $TS eval "$INPUT" --model "$dir" "$@" >"$dir/eval.json.tmp" 2>"$LOGS/eval-$name.err"
  mv "$dir/eval.json.tmp" "$dir/eval.json"
  log "eval $name: $(tr -d ' \n' <"$dir/eval.json")"
}

step_build() {
  log "build: tsc into $BUILD"
  rm -rf "$BUILD"
  npx tsc -p tsconfig.json --outDir "$BUILD/dist" >"$LOGS/build.out" 2>&1 || log "tsc reported errors (see $LOGS/build.out); using what it emitted"
  cp package.json "$BUILD/"
  # the copy finds the repository's packages wherever $OUT is
  [ -e "$BUILD/node_modules" ] || ln -s "$ROOT/node_modules" "$BUILD/node_modules"
  git rev-parse HEAD >"$BUILD/commit"
  git status --porcelain -- src >"$BUILD/src-status"
}

step_machine() {
  python3 "$BENCH/machine_info.py" >"$OUT/machine.json"
}

step_fit_fp32() {
  have "$OUT/ours-fp32/topics.json" && return 0
  run fit-fp32 $TS fit "$INPUT" --text-field body --out "$OUT/ours-fp32"
}

step_bertopic() {
  have "$OUT/bertopic/topics.json" && return 0
  local sample=()
  [ "$EMBED_SAMPLE" != none ] && sample=(--embed-sample "$EMBED_SAMPLE")
  run bertopic python3 "$BENCH/bertopic_reference.py" --from "$OUT/ours-fp32" --out "$OUT/bertopic" "${sample[@]}"
}

# Our k-NN..c-TF-IDF again on the exported embeddings, default config: per-stage CPU seconds, and
# a check that the same embeddings and seed give the same topics as the full fit.
step_refit() {
  have "$OUT/ours-fp32-refit/topics.json" && return 0
  run fit-fp32-refit $BN/fitFromEmbeddings.js --from "$OUT/ours-fp32" --config "$BENCH/config/default.json" --out "$OUT/ours-fp32-refit"
}

# Both systems with English stop words, on the same exported embeddings (no second embed).
step_stop() {
  have "$OUT/ours-fp32-stop/topics.json" ||
    run fit-fp32-stop $BN/fitFromEmbeddings.js --from "$OUT/ours-fp32" --config "$BENCH/config/stopwords.json" --out "$OUT/ours-fp32-stop"
  have "$OUT/bertopic-stop/topics.json" ||
    run bertopic-stop python3 "$BENCH/bertopic_reference.py" --from "$OUT/ours-fp32" --out "$OUT/bertopic-stop" --stop-words english
}

# Topic words on one clustering, both ways: BERTopic's c-TF-IDF on our clusters and ours on its.
step_cross() {
  local suffix cfg sw
  for suffix in "" -stop; do
    cfg=$BENCH/config/default.json sw=()
    [ "$suffix" = -stop ] && cfg=$BENCH/config/stopwords.json sw=(--stop-words english)
    have "$OUT/cross$suffix-ours-labels-bertopic-words/topics.json" ||
      run "cross$suffix-ours-labels-bertopic-words" python3 "$BENCH/bertopic_reference.py" --from "$OUT/ours-fp32" \
        --labels-from "$OUT/ours-fp32$suffix" --out "$OUT/cross$suffix-ours-labels-bertopic-words" "${sw[@]}"
    have "$OUT/cross$suffix-bertopic-labels-ours-words/topics.json" ||
      run "cross$suffix-bertopic-labels-ours-words" $BN/describeFromAssignments.js --from "$OUT/ours-fp32" \
        --labels "$OUT/bertopic$suffix" --config "$cfg" --out "$OUT/cross$suffix-bertopic-labels-ours-words"
  done
}

# Seed variance: both systems again on the same embeddings with other UMAP seeds (43, 44), so a
# difference between the systems can be set against what a seed change alone moves.
step_seeds() {
  local seed
  for seed in 43 44; do
    have "$OUT/ours-fp32-seed$seed/topics.json" ||
      run "fit-fp32-seed$seed" $BN/fitFromEmbeddings.js --from "$OUT/ours-fp32" --config "$BENCH/config/default.json" --seed $seed --out "$OUT/ours-fp32-seed$seed"
    have "$OUT/bertopic-seed$seed/topics.json" ||
      run "bertopic-seed$seed" python3 "$BENCH/bertopic_reference.py" --from "$OUT/ours-fp32" --out "$OUT/bertopic-seed$seed" --seed $seed --no-warmup
  done
}

# Which stage makes the clusterings differ: both HDBSCANs on both UMAPs (ours, umap-learn), each
# described with our c-TF-IDF and scored by eval.
step_matrix() {
  if ! have "$OUT/clustering_matrix.json"; then
    run matrix python3 "$BENCH/clustering_matrix.py" --from "$OUT/ours-fp32" --bertopic "$OUT/bertopic" \
      --node-script "$BUILD/dist/$BENCH/clusterReduced.js" --write-assignments "$OUT" --out "$OUT/clustering_matrix.json"
  fi
  local d
  for d in "$OUT"/matrix-*/; do
    d=${d%/}
    have "$d/topics.json" ||
      run "$(basename "$d")" $BN/describeFromAssignments.js --from "$OUT/ours-fp32" --labels "$d" --config "$BENCH/config/default.json" --out "$d"
  done
}

# Our embedder on the docs sentence-transformers was timed on (same sample), both long-text modes.
step_embed_ours() {
  local ids=$OUT/bertopic/embed_sample_ids.json mode dtype
  [ -e "$ids" ] || { log "embed-ours: no $ids (run the bertopic step with EMBED_SAMPLE)"; return 0; }
  for dtype in fp32 q8; do
    for mode in truncate chunk; do
      have "$OUT/embed-ours-$dtype-$mode.json" && continue
      run "embed-ours-$dtype-$mode" $BN/embedSample.js --from "$OUT/ours-fp32" --ids "$ids" --dtype $dtype --long-text $mode \
        --out "$OUT/embed-ours-$dtype-$mode.json"
    done
  done
}

# The same full fit again (RERUN=1): a second wall-time sample, since the machine is shared.
step_rerun() {
  [ "${RERUN:-0}" = 1 ] || return 0
  have "$OUT/ours-fp32-rerun/topics.json" && return 0
  run fit-fp32-rerun $TS fit "$INPUT" --text-field body --out "$OUT/ours-fp32-rerun"
}

step_q8() {
  [ "${Q8:-0}" = 1 ] || return 0
  have "$OUT/ours-q8/topics.json" && return 0
  run fit-q8 $TS fit "$INPUT" --text-field body --config "$BENCH/config/q8.json" --out "$OUT/ours-q8"
}

step_eval() {
  [ -d "$OUT/ours-fp32" ] && eval_model ours-fp32 "$OUT/ours-fp32"
  [ -d "$OUT/ours-q8" ] && eval_model ours-q8 "$OUT/ours-q8"
  [ -d "$OUT/ours-fp32-rerun" ] && eval_model ours-fp32-rerun "$OUT/ours-fp32-rerun"
  [ -d "$OUT/bertopic" ] && eval_model bertopic "$OUT/bertopic" --text-field body --config "$BENCH/config/default.json"
  [ -d "$OUT/ours-fp32-refit" ] && eval_model ours-fp32-refit "$OUT/ours-fp32-refit" --text-field body --config "$BENCH/config/default.json"
  [ -d "$OUT/ours-fp32-stop" ] && eval_model ours-fp32-stop "$OUT/ours-fp32-stop" --text-field body --config "$BENCH/config/stopwords.json"
  [ -d "$OUT/bertopic-stop" ] && eval_model bertopic-stop "$OUT/bertopic-stop" --text-field body --config "$BENCH/config/stopwords.json"
  local d cfg
  for d in "$OUT"/cross*/ "$OUT"/matrix-*/ "$OUT"/*-seed*/; do
    [ -d "$d" ] || continue
    d=${d%/}
    cfg=$BENCH/config/default.json
    case $d in *cross-stop-*) cfg=$BENCH/config/stopwords.json ;; esac
    eval_model "$(basename "$d")" "$d" --text-field body --config "$cfg"
  done
}

step_collect() {
  python3 "$BENCH/collect_results.py" --out-dir "$OUT" --results "$BENCH/results"
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(build machine fit-fp32 bertopic refit stop cross seeds matrix embed-ours q8 rerun eval collect)
for s in "${steps[@]}"; do
  "step_${s//-/_}"
done
log "done"
