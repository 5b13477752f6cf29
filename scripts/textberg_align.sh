#!/usr/bin/env bash
# Sentence-alignment accuracy on the Text+Berg de-fr data published with Vecalign (Sennrich & Volk's Bleualign
# test set; GPL, so it is fetched here, never committed):
#
#   scripts/textberg_align.sh [VECALIGN_CHECKOUT] [dev|test]
#
# Without a checkout it clones https://github.com/thompsonb/vecalign into a temporary folder. "dev" scores the
# development file the aligner was tuned on; "test" (the default) the held-out files test0..test6, as Vecalign's
# README reports them.
set -euo pipefail
split=${2:-test}
src=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$src" ]; then
  git clone -q --depth 1 https://github.com/thompsonb/vecalign "$work/vecalign"
  src="$work/vecalign"
fi
data="$src/bleualign_data"
if [ "$split" = dev ]; then names="dev"; else names="test0 test1 test2 test3 test4 test5 test6"; fi
mkdir -p "$work/test" "$work/gold"
for n in $names; do
  consistency align "$data/$n.de" "$data/$n.fr" --sentences > "$work/test/$n"
  cp "$data/$n.defr" "$work/gold/$n"
done
consistency bench align "$work/test" "$work/gold"
