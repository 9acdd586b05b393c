#!/usr/bin/env bash
# Throughput and memory of `callcoach score --format csv` against a baseline in the same
# run: ripgrep with ~50 question/summary/solution/resistance patterns (benches/patterns.txt)
# over the same data. Ratios matter, not absolute times (the machine may be shared).
#
#   benches/bench.sh            # build release, make the inputs, measure (3 runs each, median)
#   RUNS=5 benches/bench.sh     # more runs
#   JOBS=2 benches/bench.sh     # pass --jobs to callcoach (default: all cores)
#
# Input A: shared/corpus/real/multiwoz21-bench.jsonl repeated 30 times (~60,000 calls, ~95 MB).
# Input B: 20,000 one-call plain-text files (the bench records as `Agent:`/`Customer:` text).
# Needs: cargo, rg (apt-get install ripgrep), /usr/bin/time (apt-get install time), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
SRC=""
for c in "$ROOT/../shared/corpus/real/multiwoz21-bench.jsonl" "/work/shared/corpus/real/multiwoz21-bench.jsonl"; do
  if [ -f "$c" ]; then SRC=$c; break; fi
done
[ -n "$SRC" ] || { echo "bench: multiwoz21-bench.jsonl not found (../shared/corpus/real/)" >&2; exit 2; }
command -v rg >/dev/null || { echo "bench: rg missing: apt-get update && apt-get install -y ripgrep" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing: apt-get install -y time" >&2; exit 2; }

cargo build --release --quiet
BIN=$ROOT/target/release/callcoach
WORK=$ROOT/target/bench
mkdir -p "$WORK"
A=$WORK/input-a.jsonl
A10=$WORK/input-a-tenth.jsonl
B=$WORK/input-b

if [ ! -s "$A" ]; then
  for _ in $(seq 30); do cat "$SRC"; done > "$A.tmp" && mv "$A.tmp" "$A"
fi
if [ ! -s "$A10" ]; then
  total=$(wc -l < "$A")
  head -n $((total / 10)) "$A" > "$A10"
fi
if [ ! -f "$B/.done" ]; then
  rm -rf "$B"
  # The bench labels speakers "agent"/"customer" (lower case); plain text uses labels.
  python3 - "$A" "$B" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
n = 0
with open(src, encoding="utf-8") as f:
    for line in f:
        if n == 20000:
            break
        rec = json.loads(line)
        d = os.path.join(out, f"{n // 1000:02d}")
        os.makedirs(d, exist_ok=True)
        label = {"agent": "Agent", "customer": "Customer"}
        with open(os.path.join(d, f"call-{n:05d}.txt"), "w", encoding="utf-8") as o:
            o.write(f"# id: {rec['id']}-{n}\n# lang: en\n")
            for t in rec["turns"]:
                o.write(f"{label.get(t['speaker'], t['speaker'])}: {t['text']}\n")
        n += 1
PY
  touch "$B/.done"
fi

calls_of() { # calls in an input
  if [ -d "$1" ]; then find "$1" -name '*.txt' | wc -l; else grep -c . "$1"; fi
}
bytes_of() {
  if [ -d "$1" ]; then find "$1" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1; else stat -c %s "$1"; fi
}

# run_once OUT CMD...: runs CMD once under /usr/bin/time, appends "wall_s cpu_s rss_kb" to OUT.
run_once() {
  local out=$1 tf=$WORK/time.out
  shift
  /usr/bin/time -o "$tf" -f "%e %M %U %S" "$@" > /dev/null 2>&1 || true
  read -r e m u s < <(tail -1 "$tf")
  echo "$e $(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') $m" >> "$out"
}

# summary FILE -> "wall_s peak_rss_kb cpu_s": the median wall time of the runs, the largest
# peak RSS, and the CPU time (user + sys) of the median run. CPU time matters on a shared
# machine: wall time there depends on what else runs.
summary() {
  sort -g "$1" | awk '{w[NR]=$1; c[NR]=$2; if ($3 > r) r = $3} END {m=int((NR+1)/2); print w[m], r, c[m]}'
}

# measure CMD... -> the summary of $RUNS runs.
measure() {
  local f=$WORK/runs.$$
  : > "$f"
  for _ in $(seq "$RUNS"); do run_once "$f" "$@"; done
  summary "$f"
  rm -f "$f"
}

JOBARGS=()
[ -n "${JOBS:-}" ] && JOBARGS=(--jobs "$JOBS")
PAT=$ROOT/benches/patterns.txt
printf '%-6s %-6s %7s %6s %8s %9s %8s %7s %12s %8s\n' input tool calls MB wall_s calls/s MB/s cpu_s calls/cpu_s RSS_MB
declare -A WALL RSS CPU
for name in A B; do
  if [ $name = A ]; then in=$A; else in=$B; fi
  calls=$(calls_of "$in")
  bytes=$(bytes_of "$in")
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
  # The two tools take turns, run by run, so a host that gets busier or quieter during
  # the bench weighs on both alike.
  : > "$WORK/score.runs"; : > "$WORK/rg.runs"
  for _ in $(seq "$RUNS"); do
    run_once "$WORK/score.runs" "$BIN" score --format csv --quiet "${JOBARGS[@]}" "$in"
    run_once "$WORK/rg.runs" rg -o -i -f "$PAT" "$in"
  done
  read -r w r c < <(summary "$WORK/score.runs")
  WALL[$name-score]=$w; RSS[$name-score]=$r; CPU[$name-score]=$c
  read -r w r c < <(summary "$WORK/rg.runs")
  WALL[$name-rg]=$w; RSS[$name-rg]=$r; CPU[$name-rg]=$c
  for tool in score rg; do
    awk -v n="$name" -v t="$tool" -v k="$calls" -v b="$bytes" -v mb="$mb" -v w="${WALL[$name-$tool]}" \
        -v r="${RSS[$name-$tool]}" -v c="${CPU[$name-$tool]}" 'BEGIN {
      if (w <= 0) w = 0.01; if (c <= 0) c = 0.01
      printf "%-6s %-6s %7d %6s %8.2f %9.0f %8.1f %7.2f %12.0f %8.1f\n", n, t, k, mb, w, k / w, b / 1e6 / w, c, k / c, r / 1024 }'
  done
  awk -v n="$name" -v s="${WALL[$name-score]}" -v g="${WALL[$name-rg]}" -v cs="${CPU[$name-score]}" -v cg="${CPU[$name-rg]}" 'BEGIN {
    if (g <= 0) g = 0.01; if (cg <= 0) cg = 0.01
    printf "%-6s ratio score/rg: wall time %.1fx (target <= 5x), CPU time %.1fx\n", n, s / g, cs / cg }'
done

# Memory stays flat: peak RSS on all of A against a tenth of A.
read -r _ r10 _ < <(RUNS=1 measure "$BIN" score --format csv --quiet "${JOBARGS[@]}" "$A10")
awk -v full="${RSS[A-score]}" -v tenth="$r10" 'BEGIN {
  printf "memory: peak RSS %.1f MB on A, %.1f MB on A/10 (%+.0f%%; target <= 100 MB and within 20%%)\n",
    full / 1024, tenth / 1024, (full - tenth) * 100 / tenth }'
