#!/usr/bin/env bash
# A GitHub Actions step that trades the job's OIDC token for AWS credentials by hand.
set -euo pipefail

TOKEN=$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
  "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r .value)

CREDS=$(aws sts assume-role-with-web-identity \
  --role-arn arn:aws:iam::111122223333:role/github-deploy \
  --role-session-name "gh-${GITHUB_RUN_ID}/${GITHUB_ACTOR}" \
  --web-identity-token "$TOKEN" \
  --duration-seconds 7200 \
  --provider-id token.actions.githubusercontent.com \
  --output json)

export AWS_ACCESS_KEY_ID=$(echo "$CREDS" | jq -r .Credentials.AccessKeyId)
