#!/usr/bin/env bash
# Install the Debian packages the platform needs, only those that are missing.
#   base:    gettext (compiles translations), Pango (WeasyPrint PDFs), Noto fonts (every script)
#   browser: Debian's chromium, for the browser tests (never a downloaded browser)
set -eu
want=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
command -v msgfmt >/dev/null 2>&1 || want+=(gettext)
have_lib libpango-1.0.so || want+=(libpango-1.0-0)
have_lib libpangoft2-1.0.so || want+=(libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/noto ] || want+=(fonts-noto-core)
if [ "${1:-}" = "browser" ]; then
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || want+=(chromium)
fi
[ ${#want[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${want[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}"
