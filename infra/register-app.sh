#!/usr/bin/env bash
# Registers the bot's Entra ID app (one registration: the bot's identity and its Teams SSO app) from
# infra/entra-app.json, with the Azure CLI signed in to the target tenant (`az login --tenant <tenant>`).
#
#   infra/register-app.sh <bot host name> [display name]
#   e.g. infra/register-app.sh contoso-access-reviews.azurewebsites.net
#
# The host name is where the bot will answer: <webAppName>.azurewebsites.net for infra/main.bicep, or your
# custom domain. It prints the values the deployment needs, then the admin-consent URL a Global Administrator
# (or Privileged Role Administrator) must open once. Needs: az (2.50+), jq.
set -euo pipefail

usage="usage: $0 <bot host name, e.g. contoso-access-reviews.azurewebsites.net> [display name]"
domain=${1:?$usage}
display_name=${2:-Access Reviews bot}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
graph=https://graph.microsoft.com/v1.0

if [[ ! $domain =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]]; then
  echo "The host name must be a bare lowercase host (no https://, no path): $domain" >&2
  exit 2
fi
for tool in az jq; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

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
# bot/config.ts reads a client secret (MicrosoftAppPassword); it has no certificate settings.
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
echo "https://login.microsoftonline.com/$tenant/adminconsent?client_id=$app_id"
