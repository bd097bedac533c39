#!/usr/bin/env bash
# Installs Debian's chromium and firefox-esr when missing (the tests drive the real browsers; nothing is downloaded
# from anywhere but Debian's packages). Needs root, as on the project's machines and CI.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
if [ "${1:-}" = "--chromium-only" ]; then need=(); [ -x /usr/bin/chromium ] || need+=(chromium); fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing ${need[*]} from Debian's packages…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" fonts-dejavu-core >/dev/null
