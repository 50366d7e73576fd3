#!/usr/bin/env bash
# A token file the script writes before the call is read back from the script itself.
set -euo pipefail

TOKEN_FILE=/tmp/web_identity_token
echo "$CI_JOB_JWT_V2" > "$TOKEN_FILE"
aws sts assume-role-with-web-identity \
  --role-arn arn:aws:iam::111122223333:role/deploy \
  --role-session-name "ci-${CI_PIPELINE_ID}" \
  --web-identity-token "file://$TOKEN_FILE"

# Written by another command: where it is written is said, not "no such file".
curl -sS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
  "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r .value > /tmp/gh_token
aws sts assume-role-with-web-identity \
  --role-arn arn:aws:iam::111122223333:role/deploy \
  --role-session-name "gh-${GITHUB_RUN_ID}" \
  --web-identity-token file:///tmp/gh_token
