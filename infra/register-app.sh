#!/usr/bin/env bash
# Registers the bot's Entra ID app (one registration: the bot's identity and its Teams SSO app) from
# infra/entra-app.json, with the Azure CLI signed in to the target tenant (`az login --tenant <tenant>`).
#
#   infra/register-app.sh <bot host name> [display name] [--certificate <pem> | --create-certificate <pem>]
#   e.g. infra/register-app.sh contoso-access-reviews.azurewebsites.net
#        infra/register-app.sh contoso-access-reviews.azurewebsites.net --certificate ./access-review-bot.pem
#
# The host name is where the bot will answer: <webAppName>.azurewebsites.net for infra/main.bicep, or your
# custom domain. The app's credential is a client secret (MicrosoftAppPassword), or with
#   --certificate <pem>         one PEM file holding the unencrypted RSA private key and its certificate, the file
#                               the bot reads from AAD_CLIENT_CERTIFICATE_PATH: only the certificate is uploaded,
#                               never the key, and no client secret is created;
#   --create-certificate <pem>  the same with a new self-signed certificate (openssl, RSA 2048, 365 days) written
#                               to <pem> (mode 600; an existing file is never overwritten).
# It prints the values the deployment needs, then the admin-consent URL a Global Administrator (or Privileged
# Role Administrator) must open once. Needs: az (2.50+), jq; openssl for --create-certificate (and, when present,
# to check a --certificate file the way the bot does at start-up).
set -euo pipefail

usage="usage: $0 <bot host name, e.g. contoso-access-reviews.azurewebsites.net> [display name] [--certificate <pem> | --create-certificate <pem>]"
fail() {
  echo "$1" >&2
  exit 2
}

positional=()
certificate=
create_certificate=
while (($# > 0)); do
  case $1 in
    --certificate | --create-certificate)
      (($# >= 2)) || fail "$usage"
      if [[ $1 == --certificate ]]; then certificate=$2; else create_certificate=$2; fi
      shift 2
      ;;
    --certificate=*) certificate=${1#*=} && shift ;;
    --create-certificate=*) create_certificate=${1#*=} && shift ;;
    -h | --help) echo "$usage" && exit 0 ;;
    --) shift && positional+=("$@") && break ;;
    -*) fail "unknown option $1; $usage" ;;
    *) positional+=("$1") && shift ;;
  esac
done
((${#positional[@]} >= 1 && ${#positional[@]} <= 2)) || fail "$usage"
domain=${positional[0]}
display_name=${positional[1]:-Access Reviews bot}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
graph=https://graph.microsoft.com/v1.0

if [[ ! $domain =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]]; then
  fail "The host name must be a bare lowercase host (no https://, no path): $domain"
fi
if [[ -n $certificate && -n $create_certificate ]]; then
  fail "--certificate and --create-certificate exclude each other"
fi
for tool in az jq; do
  command -v "$tool" >/dev/null || fail "$tool is needed"
done
have_openssl=false
if command -v openssl >/dev/null; then have_openssl=true; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Everything about the certificate is settled before the first az call: a bad file leaves no half-registered app.
if [[ -n $create_certificate ]]; then
  $have_openssl || fail "--create-certificate needs openssl"
  [[ ! -e $create_certificate ]] || fail "$create_certificate exists; not overwritten (pass it with --certificate to use it)"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=access-review-bot ($domain)" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null || fail "openssl could not create the certificate"
  (umask 077 && cat "$work/key.pem" "$work/cert.pem" >"$create_certificate")
  rm -f "$work/key.pem" "$work/cert.pem"
  echo "Created $create_certificate (private key + self-signed certificate, RSA 2048, valid 365 days)." >&2
  certificate=$create_certificate
fi

cert_only=
if [[ -n $certificate ]]; then
  [[ -f $certificate && -r $certificate ]] || fail "cannot read the certificate file $certificate"
  if grep -q -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' "$certificate"; then
    fail "the private key in $certificate is passphrase-protected; the bot cannot read it (export it without one and protect the file instead)"
  fi
  grep -Eq -- '-----BEGIN (RSA )?PRIVATE KEY-----' "$certificate" ||
    fail "no private key in $certificate (expected one PEM file with \"-----BEGIN PRIVATE KEY-----\" and the certificate, as AAD_CLIENT_CERTIFICATE_PATH reads it)"
  # Only the first CERTIFICATE block (the leaf; intermediates may follow it) is uploaded, never the key.
  cert_only=$work/certificate-only.pem
  awk '/-----BEGIN CERTIFICATE-----/ { inside = 1 } inside { print } inside && /-----END CERTIFICATE-----/ { exit }' \
    "$certificate" >"$cert_only"
  grep -q -- '-----END CERTIFICATE-----' "$cert_only" ||
    fail "no certificate in $certificate (expected \"-----BEGIN CERTIFICATE-----\" after the private key)"
  if $have_openssl; then
    openssl rsa -in "$certificate" -noout 2>/dev/null || fail "the key in $certificate is not a readable RSA key; Entra ID needs one"
    key_pub=$(openssl pkey -in "$certificate" -pubout 2>/dev/null)
    cert_pub=$(openssl x509 -in "$cert_only" -noout -pubkey 2>/dev/null) || fail "the certificate in $certificate could not be read"
    [[ $key_pub == "$cert_pub" ]] || fail "the private key in $certificate does not belong to its (first) certificate"
    openssl x509 -in "$cert_only" -noout -checkend 0 >/dev/null || fail "the certificate in $certificate has expired"
  fi
fi

tenant=$(az account show --query tenantId -o tsv)
echo "Registering \"$display_name\" in tenant $tenant for https://$domain ..." >&2

app_id=$(az ad app create --display-name "$display_name" --sign-in-audience AzureADMyOrg --query appId -o tsv)
object_id=$(az ad app show --id "$app_id" --query id -o tsv)
scope_id=$(python3 -c 'import uuid; print(uuid.uuid4())' 2>/dev/null || cat /proc/sys/kernel/random/uuid)

manifest=$(sed -e "s/{{AppId}}/$app_id/g" -e "s/{{Domain}}/$domain/g" -e "s/{{AccessAsUserScopeId}}/$scope_id/g" \
  "$here/entra-app.json")
patch() {
  az rest --method PATCH --uri "$graph/applications/$object_id" --headers 'Content-Type=application/json' --body "$1" >/dev/null
}
# Two steps: Entra ID accepts the pre-authorized Teams clients only for a scope that already exists.
# The first sets the Application ID URI api://botid-<app id>, the access_as_user scope, token version 2, the
# redirect URI and the Graph permissions.
patch "$(jq 'del(.api.preAuthorizedApplications)' <<<"$manifest")"
patch "$(jq '{api: .api}' <<<"$manifest")"

# The service principal: the app's identity in this tenant (consent and sign-in need it).
az ad sp create --id "$app_id" >/dev/null

if [[ -n $cert_only ]]; then
  # The public certificate only; --append keeps whatever credential the app already has.
  az ad app credential reset --id "$app_id" --cert "@$cert_only" --append >/dev/null
  pem_name=$(basename "$certificate")
  thumbprints=
  if $have_openssl; then
    sha1=$(openssl x509 -in "$cert_only" -noout -fingerprint -sha1 | sed -e 's/^.*=//' -e 's/://g')
    sha256=$(openssl x509 -in "$cert_only" -noout -fingerprint -sha256 | sed -e 's/^.*=//' -e 's/://g')
    expiry=$(openssl x509 -in "$cert_only" -noout -enddate | sed -e 's/^notAfter=//')
    thumbprints="  Certificate: thumbprint $sha1 (SHA-1, as Entra ID shows it), $sha256 (SHA-256, as the bot logs it); expires $expiry"
  fi
  cat <<EOF

Registered, with the certificate of $certificate as its credential (no client secret was created).
Deployment values:
  MicrosoftAppId=$app_id
  MicrosoftAppTenantId=$tenant
  AAD_CLIENT_CERTIFICATE_PATH=<the path the bot reads $pem_name at, e.g. /run/secrets/$pem_name>
  PUBLIC_BASE_URL=https://$domain
  SSO Application ID URI: api://botid-$app_id
$thumbprints
  No MicrosoftAppPassword: Entra ID and Bot Framework both use the certificate. The PEM holds the private key:
  keep it out of source control and give it to the bot as a mounted secret file.

  infra/main.bicep configures a client secret (App Service cannot hand the bot a PEM file): run the container with
  the PEM mounted (infra/README.md, "Certificate credential"), or add a secret for App Service:
  az ad app credential reset --id $app_id --display-name bot --years 1 --append

Grant admin consent for the Graph permissions (delegated and application) once, as an administrator:
EOF
else
  # No certificate: a client secret, which the bot reads as MicrosoftAppPassword.
  secret=$(az ad app credential reset --id "$app_id" --display-name bot --years 1 --query password -o tsv)
  cat <<EOF

Registered. Deployment values (keep the secret out of source control):
  MicrosoftAppId=$app_id
  MicrosoftAppTenantId=$tenant
  MicrosoftAppPassword=$secret
  PUBLIC_BASE_URL=https://$domain
  SSO Application ID URI: api://botid-$app_id

  az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.parameters.json \\
    -p microsoftAppId=$app_id microsoftAppTenantId=$tenant microsoftAppPassword='<the secret above>'

Grant admin consent for the Graph permissions (delegated and application) once, as an administrator:
EOF
fi
echo "https://login.microsoftonline.com/$tenant/adminconsent?client_id=$app_id"
