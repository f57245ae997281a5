#!/usr/bin/env bash
# Times plimsoll against parliament on every IAM policy of the corpus, in one run, so the ratios compare
# like with like on a noisy machine. Not part of the test suite (it needs the peer):
#   python3 -m venv /tmp/parl && /tmp/parl/bin/pip install parliament
#   cargo build --release && PEERS=/tmp/parl/bin scripts/compare-iam-peers.sh
# Both tools get the same explicit list of files (most are extension-less `aws iam get-policy-version`
# output, which neither tool finds by walking a directory); parliament runs through parliament-files.py,
# which keeps going when parliament crashes on a policy and unwraps the AWS CLI envelope for it.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${CORPUS:-../shared/corpus}" && pwd)
peers=${PEERS:-/tmp/parl/bin}
plimsoll=$(pwd)/${PLIMSOLL:-${CARGO_TARGET_DIR:-target}/release/plimsoll}
scripts=$(pwd)/scripts
out=$(mktemp -d)
cd "$corpus"
mapfile -t files < <(awk -F'\t' '$1 == "iam" { print $2 }' INDEX.tsv)
echo "files: ${#files[@]}, bytes: $(cat "${files[@]}" | wc -c)"

measure() {
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %U s user, %S s system, %M KB max RSS" "$@" >"$out/$name.out" 2>"$out/$name.err" || true
  tail -n 1 "$out/$name.err"
}

measure cat cat "${files[@]}"
measure plimsoll "$plimsoll" check --format concise "${files[@]}"
measure plimsoll-all "$plimsoll" check --format concise --select ALL "${files[@]}"
measure parliament "$peers/python" "$scripts/parliament-files.py" "${files[@]}"
measure plimsoll-again "$plimsoll" check --format concise "${files[@]}"
echo "plimsoll: $(tail -n 1 "$out/plimsoll.out")"
echo "$(grep '^parliament:' "$out/parliament.err")"
echo "outputs in $out"
