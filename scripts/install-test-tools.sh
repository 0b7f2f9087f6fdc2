#!/usr/bin/env bash
# The tools the test suite uses besides Maven's: Debian's Chromium and chromedriver (the Hawtio browser test),
# kubectl (the Kustomize render test), PHP's SoapClient (php-cli + php-soap: the real third-party SOAP client of
# SmartschoolPhpClientTest), Python's zeep (python3-zeep, for Debian's /usr/bin/python3: the second SOAP client, of
# SmartschoolZeepClientTest) and promtool (Debian's prometheus package: the alerts' unit tests, AlertRulesTest).
# Installs only what is missing; needs root (or sudo) and apt. Then Redocly CLI, the OpenAPI linter of
# ContractsLintTest, from npm at the version tools/lint's lockfile pins (npm ci; needs Node.js >= 20.19).
set -euo pipefail
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
root="$(cd "$(dirname "$0")/.." && pwd)"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if ! command -v kubectl >/dev/null 2>&1; then
  # Debian names kubectl's package kubectl where a vendor repository is configured, kubernetes-client otherwise
  if apt-cache show kubectl >/dev/null 2>&1; then missing+=(kubectl); else missing+=(kubernetes-client); fi
fi
command -v php >/dev/null 2>&1 || missing+=(php-cli)
if ! php -m 2>/dev/null | grep -qi '^soap$'; then missing+=(php-soap); fi
/usr/bin/python3 -c 'import zeep' >/dev/null 2>&1 || missing+=(python3-zeep)
promtool=""
command -v promtool >/dev/null 2>&1 || promtool=prometheus
if [ ${#missing[@]} -gt 0 ] || [ -n "$promtool" ]; then
  echo "installing test tools: ${missing[*]} $promtool"
  $sudo apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
if [ -n "$promtool" ]; then
  # promtool comes with the Prometheus server, whose package starts it (and recommends the node exporter, another
  # daemon): installed without recommends, and with a policy-rc.d that refuses every service start for the install
  # (as container images have one) unless the machine has its own
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# scripts/install-test-tools.sh: no service starts while it installs\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    trap '$sudo rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends prometheus
  # not running (a machine's own policy may allow the start), nor starting at the next boot
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  else
    $sudo invoke-rc.d prometheus stop >/dev/null 2>&1 || true
    $sudo update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
fi
chromium --version
php -r 'echo "PHP ", PHP_VERSION, class_exists("SoapClient") ? " with SoapClient" : " WITHOUT SoapClient", "\n";' 
kubectl version --client 2>/dev/null | head -n 2 || true
/usr/bin/python3 -c 'import zeep; print("zeep", zeep.__version__)' 
promtool --version 2>&1 | head -n 1
# Redocly CLI: tools/lint/node_modules as package-lock.json says, unless the pinned version is there already
lint="$root/tools/lint"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js (>= 20.19) and npm are needed for Redocly CLI (tools/lint): install them, then run this script again" >&2
  exit 1
fi
pinned="$(node -p 'require(process.argv[1]).devDependencies["@redocly/cli"]' "$lint/package.json")"
installed="$(node -p 'require(process.argv[1]).version' "$lint/node_modules/@redocly/cli/package.json" 2>/dev/null || true)"
if [ "$installed" != "$pinned" ]; then
  echo "installing test tools: @redocly/cli $pinned (npm ci in tools/lint)"
  (cd "$lint" && npm ci --no-audit --no-fund)
fi
echo "Redocly CLI $("$lint/node_modules/.bin/redocly" --version 2>/dev/null), Node.js $(node --version)"
