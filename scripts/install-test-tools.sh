#!/usr/bin/env bash
# The tools the test suite uses besides Maven's: Debian's Chromium and chromedriver (the Hawtio browser test),
# kubectl (the Kustomize render test), PHP's SoapClient (php-cli + php-soap: the real third-party SOAP client of
# SmartschoolPhpClientTest) and Python's zeep (python3-zeep, for Debian's /usr/bin/python3: the second SOAP client, of
# SmartschoolZeepClientTest). Installs only what is missing; needs root (or sudo) and apt.
set -euo pipefail
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
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing test tools: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
chromium --version
php -r 'echo "PHP ", PHP_VERSION, class_exists("SoapClient") ? " with SoapClient" : " WITHOUT SoapClient", "\n";' 
kubectl version --client 2>/dev/null | head -n 2 || true
/usr/bin/python3 -c 'import zeep; print("zeep", zeep.__version__)' 
