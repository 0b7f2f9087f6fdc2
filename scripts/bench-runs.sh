#!/usr/bin/env bash
# The benchmark N times in a row (same code, same machine), each run's target/bench/results.json kept as
# target/bench/runs/run-<i>.json, then per figure the median of the runs, their spread (min to max) and each run's value.
# The targets are judged on the median; the spread says how much the machine moved under them.
#   bash scripts/bench-runs.sh [N] [extra Maven arguments...]     (default N=3; e.g. -Dbench.phases=start,steady)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"; shift || true
mkdir -p target/bench/runs
rm -f target/bench/runs/run-*.json
for i in $(seq 1 "$runs"); do
  echo "run $i of $runs: $(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  mvn -B -Pbench verify "$@" > "target/bench/runs/run-$i.log" 2>&1 || { echo "run $i failed, see target/bench/runs/run-$i.log" >&2; exit 1; }
  cp target/bench/results.json "target/bench/runs/run-$i.json"
done
python3 - target/bench/runs/run-*.json <<'PY'
import json, statistics, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
keys = [k for k, v in runs[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
summary = {}
print(f"{'figure':48} {'median':>12} {'min':>12} {'max':>12}  runs")
for k in keys:
    values = [r[k] for r in runs if isinstance(r.get(k), (int, float))]
    if len(values) != len(runs):
        continue
    m = statistics.median(values)
    summary[k] = {"median": m, "min": min(values), "max": max(values), "runs": values}
    print(f"{k:48} {m:12.3f} {min(values):12.3f} {max(values):12.3f}  {values}")
json.dump(summary, open("target/bench/runs/summary.json", "w"), indent=2)
PY
echo "the median, spread and runs per figure: target/bench/runs/summary.json"
