#!/usr/bin/env bash
# The README's "Walk-through with curl", step by step, against a running hub; exits non-zero at the first step whose
# HTTP status is not the one the README promises (printing the body).
#
#   scripts/walkthrough.sh BASE_URL SERVICE_KEY ADMIN_KEY [JWT] [SANDBOX_URL] [SANDBOX_KEY]
#
# Local `dotnet run` (Development, in-process sandbox): scripts/walkthrough.sh http://localhost:5080 dev-service-key dev-admin-key
# (the JWT then comes from POST /dev/jwt and the sandbox is BASE_URL/sandbox/alloy). Against docker compose pass the
# keys whose digests .env holds, a JWT for tenant "acme" signed with JWT_SIGNING_KEY, and the standalone sandbox's URL.
set -euo pipefail

if [ "$#" -lt 3 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi

B=${1%/}
SERVICE_KEY=$2
ADMIN_KEY=$3
JWT=${4:-}
SANDBOX=${5:-$B/sandbox/alloy}
SANDBOX=${SANDBOX%/}
SANDBOX_KEY=${6:-sandbox-development-key}
TENANT=${WALKTHROUGH_TENANT:-acme}
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# call EXPECTED_STATUS STEP curl-arguments...: runs curl, checks the status, leaves the body in $body.
call() {
  local expected=$1 step=$2
  shift 2
  local status
  status=$(curl -s -o "$body" -w '%{http_code}' "$@") || { echo "FAIL $step: curl could not connect ($*)" >&2; exit 1; }
  if [[ ! " $expected " == *" $status "* ]]; then
    echo "FAIL $step: HTTP $status, expected $expected" >&2
    cat "$body" >&2
    echo >&2
    exit 1
  fi
  echo "ok   $step ($status)"
}

field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/" "$body"; }

# 1. The SaaS backend signs a tenant up: 202 Accepted (200 when the same signup was made before).
call "202 200" "1. sign up $TENANT" -X POST "$B/api/tenants" -H "X-Api-Key: $SERVICE_KEY" -H 'Content-Type: application/json' \
  -d "{\"tenantId\":\"$TENANT\",\"name\":\"Acme Ltd\"}"

# 2. A moment later the Alloy user exists: state Provisioned, with its userId (polled for up to 60 s).
for _ in $(seq 1 60); do
  call 200 "2. tenant state" "$B/api/tenants/$TENANT" -H "X-Api-Key: $SERVICE_KEY" >/dev/null
  grep -q '"state":"Provisioned"' "$body" && break
  sleep 1
done
grep -q '"state":"Provisioned"' "$body" || { echo "FAIL 2: $TENANT not Provisioned within 60 s" >&2; cat "$body" >&2; exit 1; }
USER_ID=$(field userId)
echo "ok   2. $TENANT Provisioned, Alloy user $USER_ID"

# 3. A tenant member's JWT (the development issuer when none is given).
if [ -z "$JWT" ]; then
  call 200 "3. development JWT" -X POST "$B/dev/jwt" -H 'Content-Type: application/json' -d "{\"tenantId\":\"$TENANT\"}"
  JWT=$(field token)
fi

# 4. A modal token, never cached.
call 200 "4. modal token" -X POST "$B/api/tenants/$TENANT/alloy-token" -H "Authorization: Bearer $JWT" -D "$body.headers"
grep -qi '^cache-control:.*no-store' "$body.headers" || { echo "FAIL 4: no Cache-Control: no-store" >&2; rm -f "$body.headers"; exit 1; }
rm -f "$body.headers"

# 5. What the tenant can install.
call 200 "5. integrations" "$B/api/tenants/$TENANT/integrations" -H "Authorization: Bearer $JWT"

# 6. The user installs Slack through Alloy's headless install API on the sandbox.
call "200 201" "6. start installation" -X POST "$SANDBOX/headless/startInstallation" -H "Authorization: Bearer $SANDBOX_KEY" \
  -H 'x-api-version: 2025-09' -H 'Content-Type: application/json' \
  -d "{\"userId\":\"$USER_ID\",\"integrationId\":\"65f1a0c2e4b0a1b2c3d4e503\"}"
INST=$(field installationId)
call "200 201" "6. complete installation" -X POST "$SANDBOX/headless/completeInstallation" -H "Authorization: Bearer $SANDBOX_KEY" \
  -H 'x-api-version: 2025-09' -H 'Content-Type: application/json' -d "{\"installationId\":\"$INST\",\"data\":[]}"

# 7. Refresh, then list: the installation is there.
call 200 "7. refresh installations" -X POST "$B/api/tenants/$TENANT/installations/refresh" -H "Authorization: Bearer $JWT"
call 200 "7. list installations" "$B/api/tenants/$TENANT/installations" -H "Authorization: Bearer $JWT"
grep -q "\"installationId\":\"$INST\"" "$body" || { echo "FAIL 7: installation $INST not listed" >&2; cat "$body" >&2; exit 1; }

# 8. Admins: every tenant's installations (JSON and CSV), an installation's history, tenants by state.
call 200 "8. admin installations (JSON)" "$B/api/admin/installations?enabled=true&limit=50" -H "X-Api-Key: $ADMIN_KEY"
call 200 "8. admin installations (CSV)" "$B/api/admin/installations" -H "X-Api-Key: $ADMIN_KEY" -H 'Accept: text/csv'
call 200 "8. installation history" "$B/api/admin/installations/$INST/history" -H "X-Api-Key: $ADMIN_KEY"
call 200 "8. provisioned tenants" "$B/api/admin/tenants?state=Provisioned" -H "X-Api-Key: $ADMIN_KEY"

# The README's closing promises: another tenant is 403, no credentials 401.
call 403 "other tenant is forbidden" "$B/api/tenants/not-$TENANT/installations" -H "Authorization: Bearer $JWT"
call 401 "no credentials" "$B/api/tenants/$TENANT/installations"

echo "walk-through passed against $B"
