#!/usr/bin/env bash
# The deployment of docs/operations.md (Deploying), run end to end on loopback:
# production settings, migrate, collectstatic, gunicorn on a unix socket with
# deploy/gunicorn.conf.py, the job worker, nginx with deploy/nginx/clientfolio.conf and a
# self-signed certificate, then deploy/e2e_check.py against it; the systemd units are
# checked with `systemd-analyze verify`. Everything runs as the calling user (nginx
# as nobody when that is root) in a temporary folder, and is stopped and removed on
# exit. .ci/run runs it; by hand: `deploy/e2e.sh` (needs nginx and openssl).
#
#   E2E_HTTPS_PORT (18443)  E2E_HTTP_PORT (18080)  E2E_KEEP=1 keeps the folder
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
HTTPS_PORT=${E2E_HTTPS_PORT:-18443}
HTTP_PORT=${E2E_HTTP_PORT:-18080}
started=$(date +%s)

for tool in nginx openssl; do
  if ! command -v "$tool" >/dev/null; then
    echo "deploy/e2e.sh: $tool is not installed; skipping (CI=true installs it)." >&2
    exit 0
  fi
done

WORK=$(mktemp -d /tmp/clientfolio-e2e.XXXXXX)
chmod 755 "$WORK"
pids=()
stop() {
  status=$?
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  # INT: gunicorn and the worker stop at once (TERM would wait for requests and jobs).
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ]; then
    for log in gunicorn.log worker.log nginx/error.log; do
      echo "--- $log (last lines)"; tail -n 30 "$WORK/$log" 2>/dev/null || true
    done
  fi
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
  echo "deploy/e2e.sh: $([ "$status" = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started )) s"
}
trap stop EXIT

# --- the settings an operator puts into /etc/clientfolio/env --------------------------
export CLIENTFOLIO_ENV=production DEBUG=false
SECRET_KEY=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
METRICS_TOKEN=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))')
export SECRET_KEY METRICS_TOKEN
export ALLOWED_HOSTS=127.0.0.1 CLIENTFOLIO_DATA_DIR="$WORK/data"
export BEHIND_PROXY=true SECURE_COOKIES=true SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000
export CLIENTFOLIO_SITE_URL="https://127.0.0.1:$HTTPS_PORT"
export EMAIL_URL="filemail:///$WORK/mail" LOG_FORMAT=json JOBS_BACKEND=database
export PROMETHEUS_MULTIPROC_DIR="$WORK/metrics"
unset DATABASE_URL DJANGO_SETTINGS_MODULE REDIS_URL
mkdir -p "$WORK/mail" "$WORK/metrics"
cf() { "$VENV/bin/clientfolio" "$@"; }

echo "== production settings refuse what is unsafe, pass the deploy check"
if SECRET_KEY= cf check >"$WORK/refused.txt" 2>&1; then
  echo "production settings started without SECRET_KEY" >&2; exit 1
fi
grep -q "SECRET_KEY is not set" "$WORK/refused.txt"
cf check --deploy --fail-level WARNING

echo "== systemd units"
if command -v systemd-analyze >/dev/null; then
  mkdir "$WORK/units"
  # The units as installed, pointing at this checkout instead of /srv/clientfolio.
  for unit in deploy/systemd/*; do
    sed -e "s|/srv/clientfolio|$ROOT|g" -e "s|/etc/clientfolio/env|$WORK/units/env|" \
      -e "s|/srv/clientfolio/.venv|$VENV|g" "$unit" >"$WORK/units/$(basename "$unit")"
  done
  sed -i "s|$ROOT/.venv|$VENV|g" "$WORK"/units/*
  cp deploy/env.example "$WORK/units/env"
  # Any warning fails too (verify exits 0 on, say, a misspelt Type=).
  (cd "$WORK/units" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no ./*.service ./*.timer) \
    >"$WORK/verify.txt" 2>&1 || { cat "$WORK/verify.txt"; exit 1; }
  if [ -s "$WORK/verify.txt" ]; then cat "$WORK/verify.txt"; exit 1; fi
  echo "systemd-analyze verify: clean"
else
  echo "systemd-analyze is not installed: the units are NOT checked (CI=true installs systemd)."
fi

echo "== migrate, collectstatic, demo data"
cf migrate --noinput -v0
cf collectstatic --noinput -v0
# The demo's own e-mails and events are sent as it loads, not left for the worker.
JOBS_BACKEND=immediate EMAIL_URL="filemail:///$WORK/demo-mail" cf demo >"$WORK/demo.log" 2>&1

echo "== certificate"
mkdir "$WORK/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null

echo "== gunicorn, the job worker, nginx"
nginx_user=()
if [ "$(id -u)" = 0 ]; then
  # nginx runs as nobody, who must reach the socket, the certificate and the files.
  nginx_user=(runuser -u nobody --)
  export GUNICORN_UMASK=000
  chmod -R a+rX "$WORK/data/static" "$WORK/tls"
fi
GUNICORN_BIND="unix:$WORK/gunicorn.sock" GUNICORN_WORKERS=2 \
  "$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py clientfolio.wsgi >"$WORK/gunicorn.log" 2>&1 &
pids+=($!)
"$VENV/bin/clientfolio" worker --interval 0.2 >"$WORK/worker.log" 2>&1 &
pids+=($!)

mkdir -p "$WORK/nginx/tmp"
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
  -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
  -e '/listen \[::\]/d' \
  -e "s|https://\$host\$request_uri|https://\$host:$HTTPS_PORT\$request_uri|" \
  -e "s|/run/clientfolio/gunicorn.sock|$WORK/gunicorn.sock|" \
  -e "s|/var/lib/clientfolio/|$WORK/data/|" \
  -e "s|/etc/ssl/clientfolio/fullchain.pem|$WORK/tls/cert.pem|" \
  -e "s|/etc/ssl/clientfolio/privkey.pem|$WORK/tls/key.pem|" \
  -e "s|/var/log/nginx/clientfolio.access.log|$WORK/nginx/access.log|" \
  -e "s|/var/log/nginx/clientfolio.error.log|$WORK/nginx/error.log|" \
  deploy/nginx/clientfolio.conf >"$WORK/nginx/site.conf"
grep -q "127.0.0.1:$HTTPS_PORT ssl" "$WORK/nginx/site.conf"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $WORK/nginx/access.log;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    include $WORK/nginx/site.conf;
}
EOF
[ "$(id -u)" = 0 ] && chown -R nobody "$WORK/nginx"
"${nginx_user[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -t -q
"${nginx_user[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"

"$VENV/bin/python" deploy/healthcheck.py --socket "$WORK/gunicorn.sock" --host 127.0.0.1 --wait 60
"$VENV/bin/python" deploy/healthcheck.py --url "https://127.0.0.1:$HTTPS_PORT" --insecure --wait 10
echo "up after $(( $(date +%s) - started )) s"

echo "== checks"
E2E_HTTPS="https://127.0.0.1:$HTTPS_PORT" E2E_HTTP="http://127.0.0.1:$HTTP_PORT" \
  E2E_WORK="$WORK" E2E_SECRET_KEY="$SECRET_KEY" E2E_METRICS_TOKEN="$METRICS_TOKEN" \
  timeout 180 "$VENV/bin/python" deploy/e2e_check.py
