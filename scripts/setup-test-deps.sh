#!/usr/bin/env bash
# Debian packages the test suite needs beyond node and npm. Idempotent; a no-op when all are present.
# chromium: the HTML report is opened in a real headless browser (driven by playwright-core with
# executablePath /usr/bin/chromium), so no browser download from a CDN is ever needed.
# tmux: the colour and scrollback checks run the CLI in a real terminal (test/e2e/terminal.test.ts).
set -euo pipefail
need=()
for pkg in git chromium tmux; do
  # `dpkg -s` also succeeds for a removed package whose config files remain: ask for "installed".
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-test-deps: missing Debian packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
