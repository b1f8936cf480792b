#!/bin/sh
# make-example.sh - regenerate posture-example.xlsx, the workbook of the bundled example
# assessment (assessments/saas-baseline.template.json + northwind-2026.answers.json), and
# summary.png, a picture of its Summary sheet as LibreOffice renders it.
#
# Usage: POSTURE=build/posture examples/workbook/make-example.sh
#   POSTURE  a built posture binary (required)
#   The picture needs soffice (libreoffice-calc-nogui), pdftoppm (poppler-utils) and
#   python3 with PIL (python3-pil); without them only the workbook is regenerated.
# Reproducible: SOURCE_DATE_EPOCH = 2026-11-20T12:00:00Z, as examples/dashboard.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${POSTURE:?set POSTURE to a built posture binary}"

SOURCE_DATE_EPOCH=1795176000 "$POSTURE" report \
  --template "$root/assessments/saas-baseline.template.json" \
  --answers "$root/assessments/northwind-2026.answers.json" --xlsx "$here/posture-example.xlsx"

if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
  echo "make-example.sh: soffice or pdftoppm missing: summary.png not regenerated" >&2
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
soffice "-env:UserInstallation=file://$tmp/profile" --headless --convert-to pdf \
  --outdir "$tmp" "$here/posture-example.xlsx" >/dev/null 2>&1
# page 1 is the Summary sheet (printed landscape on one page)
pdftoppm -f 1 -l 1 -r 130 -png "$tmp/posture-example.pdf" "$tmp/page"
py=python3
$py -c 'import PIL' 2>/dev/null || py=/usr/bin/python3
$py - "$tmp/page-1.png" "$here/summary.png" <<'P'
import sys
from PIL import Image, ImageChops
img = Image.open(sys.argv[1]).convert("RGB")
bbox = ImageChops.difference(img, Image.new("RGB", img.size, "white")).getbbox()
m = 24
img.crop((max(bbox[0] - m, 0), max(bbox[1] - m, 0), min(bbox[2] + m, img.width),
          min(bbox[3] + m, img.height))).save(sys.argv[2], optimize=True)
P
