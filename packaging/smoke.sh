#!/usr/bin/env bash
# Smoke-test a built bundle (default dist/riskdesk) offscreen, with a throwaway database and
# home folder: --version, demo, info, appendix to PDF and Word, and every tab of the window.
set -euo pipefail
bundle=${1:-dist/riskdesk}
work=$(mktemp -d /tmp/riskdesk-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"
db="$work/smoke.sqlite"
cli="$bundle/riskdesk-cli"
step() { echo "smoke: $*"; }

step "$("$cli" --version)"
"$cli" --database "$db" demo
"$cli" --database "$db" info
"$cli" --database "$db" cycle new --meeting 2027-01-20
"$cli" --database "$db" appendix --out "$work/appendix.pdf"
"$cli" --database "$db" appendix --out "$work/appendix.docx"
python3 - "$work/appendix.pdf" "$work/appendix.docx" <<'PY'
import sys, zipfile
pdf, docx = sys.argv[1:3]
data = open(pdf, "rb").read()
assert data.startswith(b"%PDF") and data.count(b"/Type /Page") >= 2, "appendix PDF is not a multi-page PDF"
assert "word/document.xml" in zipfile.ZipFile(docx).namelist(), "appendix.docx is not a Word file"
print(f"smoke: appendix PDF {len(data):,} bytes, Word file ok")
PY
RISKDESK_SMOKE_WINDOW=1 RISKDESK_DATABASE="$db" "$bundle/riskdesk"
step "frozen build passed"
