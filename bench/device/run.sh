#!/usr/bin/env bash
# The one command for the device machine (bench/device/README.md): runs bench/device/gpu.ts, bundled by
# `npm run bench:device:pack` into .device/, on the machine's GPU through Dawn, installing nothing.
# Brings the Vulkan loader from the carried .gl debs (the device tool's README), points Vulkan at the
# NVIDIA ICD when no ICD is chosen, unpacks the carried Dawn binary (and Node, where the machine has no
# Node 20+), and stops gpu.ts with SIGTERM before the device tool's 10-minute limit so that it still
# prints what it measured. Arguments go to gpu.ts (e.g. --quick, --budget 420). Runs here too (SwiftShader
# with VK_ICD_FILENAMES set; no .gl). Not an installer: it fails if .device/ is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f .device/bench/gpu.mjs ]; then
  echo "run.sh: .device/bench/gpu.mjs is missing: run 'npm run bench:device:pack' here and carry .device" >&2
  exit 1
fi

# xz -d where the machine has it, else Python's lzma.
unxz_to() {
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

# Only where the loader is missing (the device machine): never over a system that has its own.
if [ -d .gl ] && ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then
  export VK_DRIVER_FILES="$nvidia_icd"
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi

# Unpacked beside its loader, which looks for it there; removed after, so a local run leaves .device
# as small as it travels.
dawn=.device/node_modules/webgpu/dist/linux-x64/dawn.node
unxz_to "$dawn.xz" "$dawn"
trap 'rm -f "$dawn"' EXIT

node=node
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  if [ ! -f .device/node.xz ]; then
    echo "run.sh: no Node 20+ here and no .device/node.xz: pack with 'npm run bench:device:pack -- --with-node'" >&2
    exit 1
  fi
  node=/tmp/editscope-node
  unxz_to .device/node.xz "$node"
  chmod +x "$node"
fi

echo "run.sh: $("$node" --version), ICD ${VK_ICD_FILENAMES:-${VK_DRIVER_FILES:-default}}, commit $(cat .device/commit)" >&2
log=/dev/null
[ -n "${OUT:-}" ] && log="$OUT/gpu-bench.log"
EDITSCOPE_COMMIT="$(cat .device/commit)" timeout -s TERM "${EDITSCOPE_LIMIT_S:-560}" \
  "$node" .device/bench/gpu.mjs "$@" 2> >(tee "$log" >&2)
