#!/usr/bin/env bash
# Benchmark: generate an organisation (default 20,000 components) once, then
# build it three times and print per-stage timings and peak memory.
#   examples/bench.sh [COMPONENTS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
components=${1:-20000}
dir=${2:-/tmp/portalgen-bench-$components}
cargo build --release --quiet --example genorg
cargo build --release --quiet
if [ ! -f "$dir/site.toml" ]; then
  ./target/release/examples/genorg --components "$components" --out "$dir"
fi
for run in 1 2 3; do
  echo "run $run:"
  PORTALGEN_TIMINGS=1 /usr/bin/time -f "  wall %e s, peak memory %M KB" \
    ./target/release/portalgen --config "$dir/site.toml" build --out "$dir/public" 2>&1 | sed 's/^/  /'
done
