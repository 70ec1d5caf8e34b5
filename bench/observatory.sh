#!/bin/sh
# Score public pages with the MDN HTTP Observatory's own scanner (npm @mdn/mdn-http-observatory),
# against gunicorn with production settings over TLS on 127.0.0.1. See bench/README.md.
set -eu
cd "$(dirname "$0")/.."
VERSION=1.4.8
WORK=${OBSERVATORY_DIR:-/tmp/peak-observatory}
PORT=${OBSERVATORY_PORT:-8443}
PATHS=${OBSERVATORY_PATHS:-"/ /privacy/ /guides/ /guides/knee-pain-with-running/ /exercises/step-down/
  /protocols/runners-patellofemoral-pain/ /protocols/runners-patellofemoral-pain/print/ /check/
  /check/runners-knee/ /contact/ /contact/thanks/ /book/ /book/initial-evaluation/
  /book/initial-evaluation/details/ /book/cancelled/ /robots.txt /sitemap.xml /healthz /admin/login/"}
MIN_SCORE=${OBSERVATORY_MIN_SCORE:-125}

mkdir -p "$WORK"
SCANNER="$WORK/node_modules/@mdn/mdn-http-observatory"
if [ ! -d "$SCANNER" ]; then
  # Its install scripts download Chromium's HSTS preload list and a CA bundle; a page on
  # localhost needs neither, and they fail without internet access.
  (cd "$WORK" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    --ignore-scripts "@mdn/mdn-http-observatory@$VERSION")
  echo '{}' > "$SCANNER/conf/hsts-preload.json"
fi
[ -f "$WORK/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="observatory-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
export DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL="sqlite:///$WORK/db.sqlite3" EMAIL_URL=dummy://
export DJANGO_STATIC_ROOT="$WORK/static" SITE_URL="https://localhost:$PORT"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn clinic.wsgi --workers 2 --bind "127.0.0.1:$PORT" --no-control-socket \
  --certfile "$WORK/cert.pem" --keyfile "$WORK/key.pem" 2>"$WORK/gunicorn.log" &
GUNICORN=$!
trap 'kill $GUNICORN' EXIT INT TERM
sleep 3

failed=0
for path in $PATHS; do
  # The scanner takes a host name; the path rides along in it, since it builds its URL
  # as https://<name>. Plain HTTP is not served on that port, so the redirect test reads
  # "no HTTP" (no points either way).
  result=$(cd "$SCANNER" && NODE_EXTRA_CA_CERTS="$WORK/cert.pem" node src/scan.js "localhost:$PORT$path")
  line=$(printf '%s' "$result" | .venv/bin/python -c '
import json, sys
scan = json.load(sys.stdin)
if "scan" not in scan:
    print("error", scan.get("error")); sys.exit()
lost = [name for name, test in scan["tests"].items() if (test.get("scoreModifier") or 0) < 0]
print(scan["scan"]["score"], scan["scan"]["grade"], " ".join(lost))')
  echo "$path $line"
  score=${line%% *}
  case $score in (*[!0-9]*|"") failed=1 ;; (*) [ "$score" -ge "$MIN_SCORE" ] || failed=1 ;; esac
done
exit $failed
