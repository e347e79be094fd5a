#!/usr/bin/env bash
# Set up everything the project needs on Debian or Ubuntu, then stop. Safe to run again.
#   ./setup.sh          system libraries for WeasyPrint, a .venv with the package
#   ./setup.sh --test   also Chromium, poppler-utils, Java, the npm test tools and the Python test extras
set -euo pipefail
cd "$(dirname "$0")"

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$want_tests" = 1 ]; then
  packages+=(chromium poppler-utils)
  command -v java >/dev/null || packages+=(default-jre-headless)
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
if command -v dpkg >/dev/null; then
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_tests" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error  # vnu-jar's postinstall would download a Java runtime
else
  .venv/bin/python -m pip install -q -e .
fi
echo "Set up. Build with: .venv/bin/python build.py"
