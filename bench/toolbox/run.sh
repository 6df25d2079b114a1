#!/usr/bin/env bash
# The toolbox benchmark: topicstream vs BERTopic on 20 Newsgroups (all posts, --text-field body),
# same embeddings, 3 UMAP seeds, each with (a) defaults, (b) outlier reduction by c-TF-IDF,
# (c) topic reduction "auto", (d) MMR topic words (diversity 0.1).
#
#   bench/toolbox/run.sh                  # every step; a step whose output exists is skipped
#   bench/toolbox/run.sh ours eval        # only these steps (in the order given)
#   FORCE=1 bench/toolbox/run.sh ...      # redo steps even when their output exists
#
# Steps: build machine embed ours bertopic cross eval ties collect
#   embed     one default fp32 `fit --out $OUT/embed` (the only step that embeds; ~18-50 min)
#   ours      per seed: refit $OUT/embed --seed S                          -> ours-sS/defaults
#                       reduce ours-sS/defaults --reduce-outliers c-tf-idf   -> ours-sS/outliers
#                       reduce ours-sS/defaults --nr-topics auto             -> ours-sS/auto
#                       refit $OUT/embed --seed S --representation mmr       -> ours-sS/mmr
#             (`reduce` needs --nr-topics or --reduce-outliers, so MMR words come from a refit with
#             the same seed; collect checks its clusters equal ours-sS/defaults')
#   bertopic  per seed: bertopic_toolbox.py (fit once, then each option on a copy) -> bertopic-sS/*
#   cross     per seed: BERTopic's toolbox (b)-(d) on ours-sS/defaults' clusters (no UMAP/HDBSCAN)
#             -> cross-sS/*: collect compares them with ours-sS/* (same partition? same words?)
#   eval      topicstream eval on every folder (same metric code for both systems)
#   ties      ties.py: tie-breaking where the two part on identical input ((c)'s HDBSCAN over the
#             topic vectors, (a)'s HDBSCAN on our UMAP output, (d)'s MMR candidates) -> $OUT/ties.json
#   collect   results/20newsgroups-toolbox-<date>.json and the tables (markdown) on stdout
# Environment: INPUT (default ../shared/data/20newsgroups_bydate.jsonl.gz), TEXT_FIELD (body), OUT (default
# out/bench-toolbox), SEEDS (default "42 43 44"), DIVERSITY (default 0.1), PYTHON (default /tmp/bt/bin/python).
set -euo pipefail
export HF_HUB_OFFLINE=1
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
INPUT=${INPUT:-../shared/data/20newsgroups_bydate.jsonl.gz}
TEXT_FIELD=${TEXT_FIELD:-body}
OUT=${OUT:-out/bench-toolbox}
SEEDS=${SEEDS:-42 43 44}
DIVERSITY=${DIVERSITY:-0.1}
PYTHON=${PYTHON:-/tmp/bt/bin/python}
FORCE=${FORCE:-0}
BENCH=bench/toolbox
BUILD=$OUT/build
LOGS=$OUT/logs
OPTIONS="defaults outliers auto mmr"
mkdir -p "$OUT" "$LOGS" "$BENCH/results"

# Its own compiled copy of the tree, so that others rebuilding dist/ cannot change the code mid-run.
TS="node $BUILD/dist/src/cli/main.js"

# log, have, loadavg, run: bench/runSteps.sh
. bench/runSteps.sh

step_build() {
  have "$BUILD/dist/src/cli/main.js" && return 0
  log "build: tsc into $BUILD"
  rm -rf "$BUILD"
  npx tsc -p tsconfig.json --outDir "$BUILD/dist" >"$LOGS/build.out" 2>&1 || log "tsc reported errors (see $LOGS/build.out); using what it emitted"
  cp package.json "$BUILD/"
  [ -e "$BUILD/node_modules" ] || ln -s "$ROOT/node_modules" "$BUILD/node_modules"
  git rev-parse HEAD >"$BUILD/commit"
  git status --porcelain -- src >"$BUILD/src-status"
}

step_machine() {
  have "$OUT/machine.json" || python3 bench/batch/machine_info.py >"$OUT/machine.json"
}

step_embed() {
  have "$OUT/embed/topics.json" && return 0
  run embed $TS fit "$INPUT" --text-field "$TEXT_FIELD" --out "$OUT/embed"
}

step_ours() {
  local s d
  for s in $SEEDS; do
    d=$OUT/ours-s$s
    mkdir -p "$d"
    have "$d/defaults/topics.json" ||
      run "ours-s$s-defaults" $TS refit "$OUT/embed" --seed "$s" --out "$d/defaults"
    have "$d/outliers/topics.json" ||
      run "ours-s$s-outliers" $TS reduce "$d/defaults" --reduce-outliers c-tf-idf --out "$d/outliers"
    have "$d/auto/topics.json" ||
      run "ours-s$s-auto" $TS reduce "$d/defaults" --nr-topics auto --out "$d/auto"
    have "$d/mmr/topics.json" ||
      run "ours-s$s-mmr" $TS refit "$OUT/embed" --seed "$s" --representation mmr --diversity "$DIVERSITY" --out "$d/mmr"
  done
}

step_bertopic() {
  local s d
  for s in $SEEDS; do
    d=$OUT/bertopic-s$s
    have "$d/bertopic_toolbox.json" && continue
    run "bertopic-s$s" "$PYTHON" "$BENCH/bertopic_toolbox.py" --from "$OUT/embed" --seed "$s" --out "$d" \
      --build "$BUILD/dist" --diversity "$DIVERSITY" --word-cache "$OUT/bertopic-words"
  done
}

step_cross() {
  local s d
  for s in $SEEDS; do
    d=$OUT/cross-s$s
    have "$d/bertopic_toolbox.json" && continue
    run "cross-s$s" "$PYTHON" "$BENCH/bertopic_toolbox.py" --from "$OUT/embed" --seed "$s" --out "$d" \
      --build "$BUILD/dist" --diversity "$DIVERSITY" --word-cache "$OUT/bertopic-words" --labels-from "$OUT/ours-s$s/defaults"
  done
}

# eval_model NAME DIR [extra eval args]: topicstream eval, JSON to DIR/eval.json
eval_model() {
  local name=$1 dir=$2
  shift 2
  have "$dir/eval.json" && return 0
  $TS eval "$INPUT" --model "$dir" "$@" >"$dir/eval.json.tmp" 2>"$LOGS/eval-$name.err"
  mv "$dir/eval.json.tmp" "$dir/eval.json"
  log "eval $name: $(tr -d ' \n' <"$dir/eval.json")"
}

step_eval() {
  local s o
  for s in $SEEDS; do
    for o in $OPTIONS; do
      [ -d "$OUT/ours-s$s/$o" ] && eval_model "ours-s$s-$o" "$OUT/ours-s$s/$o"
      [ -d "$OUT/bertopic-s$s/$o" ] && eval_model "bertopic-s$s-$o" "$OUT/bertopic-s$s/$o" --text-field "$TEXT_FIELD" --config bench/batch/config/default.json
      [ -d "$OUT/cross-s$s/$o" ] && eval_model "cross-s$s-$o" "$OUT/cross-s$s/$o" --text-field "$TEXT_FIELD" --config bench/batch/config/default.json
    done
  done
}

step_ties() {
  have "$OUT/ties.json" || run ties "$PYTHON" "$BENCH/ties.py" --out-dir "$OUT" --seeds "$SEEDS"
}

step_collect() {
  python3 "$BENCH/collect_results.py" --out-dir "$OUT" --results "$BENCH/results" --seeds "$SEEDS"
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(build machine embed ours bertopic cross eval ties collect)
for s in "${steps[@]}"; do
  "step_${s//-/_}"
done
log "done"
