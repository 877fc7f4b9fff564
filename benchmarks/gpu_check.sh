#!/usr/bin/env bash
# The GPU check (issue 14): everything a GPU changes, in one run of under 8 minutes on one GPU.
#
#   1. the CUDA-marked tests (AMP bf16/fp16 + channels_last steps, fused Adam, a quick run);
#   2. training steps of pix2pix, CycleGAN and the DDPM at 256x256 in fp32, bf16 and fp16 with
#      channels_last: images/s, peak memory, and the fraction of the GPU's matmul rate in the same
#      dtype, measured in the same run (benchmarks/bench_training.py);
#   3. a full `reproduce pix2pix` (128x128, 100 epochs) on simulated data with AMP;
#   4. `claims --full --plan` on the GPU: every run of the full claims with its measured step
#      time, so the expected run time of `reviewdb claims --full` is a measurement, not a guess.
#
# Needs only PyTorch (+ numpy, scipy, typer, tqdm, pillow): it runs from the checkout with
# PYTHONPATH, records nothing in a database, and writes under $OUT (default: a temp folder).
#
#   bash benchmarks/gpu_check.sh            # PYTHON=... to choose the interpreter
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
OUT=${OUT:-$(mktemp -d)}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
status=0
t_all=$(date +%s)

part() {  # part NAME SECONDS CMD...: run with a time limit, report its wall time and exit status
  local name=$1 limit=$2 t=$(date +%s) rc
  shift 2
  echo "=== $name (limit ${limit} s)"
  timeout "$limit" "$@" 2>&1 | tee "$OUT/$name.log"
  rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc after $(( $(date +%s) - t )) s"
  [ "$rc" -eq 0 ] || status=1
}

nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv || true
"$PY" -c "import torch; assert torch.cuda.is_available(), 'no CUDA device'; print('torch', torch.__version__, torch.cuda.get_device_name(0), 'bf16' if torch.cuda.is_bf16_supported() else 'no bf16')" || exit 2

part cuda_tests 120 "$PY" -m pytest -q -p no:cacheprovider --noconftest -m cuda tests/reproductions/test_cuda.py
part training_steps 150 "$PY" benchmarks/bench_training.py --device cuda --size 256 \
  --methods pix2pix cyclegan ddpm --precision fp32 bf16 fp16 --steps 40 --warmup 5
part reproduce_pix2pix 180 "$PY" -m reproductions reproduce pix2pix --device cuda --amp --no-record \
  --out "$OUT/runs"
part claims_plan 90 "$PY" -m reproductions claims --full --plan --device cuda

echo "gpu_check: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - t_all )) s; logs in $OUT"
exit $status
