#!/usr/bin/env bash
# Install the Debian packages the platform needs, only those that are missing.
#   base:    gettext (compiles translations), Pango (WeasyPrint PDFs), Noto fonts (every script)
#   browser: what the test suite starts: Debian's chromium for the browser tests (never a
#            downloaded browser), redis-server for the documented multi-server set-up
set -eu
want=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
for pkg in gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core; do
  have_pkg "$pkg" || want+=("$pkg")
done
if [ "${1:-}" = "browser" ]; then
  have_pkg chromium || want+=(chromium)
  have_pkg redis-server || want+=(redis-server)
fi
[ ${#want[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${want[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}"
