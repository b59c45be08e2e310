#!/usr/bin/env bash
# A waveform imcsim writes must survive GTKWave's own reader: VCD -> FST -> VCD keeps every
# signal and every time step. Usage: check_waveform.sh IMCSIM WORKDIR
set -euo pipefail
imcsim=$1
dir=$2
mkdir -p "$dir"
"$imcsim" --arch configs/tile8x8.yaml --prog examples/two_layer_noc/program.cmd \
  --input examples/two_layer_noc/input.npy -q --vcd "$dir/w.vcd"
vcd2fst "$dir/w.vcd" "$dir/w.fst" >/dev/null
fst2vcd "$dir/w.fst" >"$dir/back.vcd" 2>/dev/null
vars=$(grep -c '\$var' "$dir/w.vcd")
steps=$(grep -c '^#' "$dir/w.vcd")
echo "signals: $vars written, $(grep -c '\$var' "$dir/back.vcd") read back"
echo "time steps: $steps written, $(grep -c '^#' "$dir/back.vcd") read back"
[ "$vars" -gt 100 ]
[ "$vars" -eq "$(grep -c '\$var' "$dir/back.vcd")" ]
[ "$steps" -eq "$(grep -c '^#' "$dir/back.vcd")" ]
grep -q 'tile27' "$dir/back.vcd"
