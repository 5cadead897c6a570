#!/bin/sh
# Builds the native addon with the system compiler against the running Node's own headers
# (N-API is ABI-stable, so one build serves any Node version; nothing is downloaded).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
inc=$(node -p "require('path').resolve(process.execPath, '../../include/node')")
[ -f "$inc/node_api.h" ] || { echo "build-native: node_api.h not found in $inc (install Node's headers)" >&2; exit 1; }
mkdir -p "$top/build"
${CC:-cc} -O2 -Wall -Wextra -Wno-unused-parameter -shared -fPIC -DNODE_GYP_MODULE_NAME=pman_native \
  -I"$inc" "$here/native.c" -o "$top/build/pman_native.node.tmp"
mv "$top/build/pman_native.node.tmp" "$top/build/pman_native.node"
