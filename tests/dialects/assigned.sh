#!/usr/bin/env bash
# Values the script assigns before the call are checked where they are written.
set -euo pipefail

ACCOUNT_ID=111122223333
ROLE_ARN="arn:aws:iam::${ACCOUNT_ID}:role/deploy role"
SESSION_NAME="ci-${CI_PIPELINE_ID}"
DURATION=90000
if [ -n "${CI_COMMIT_TAG:-}" ]; then
  DURATION=3600
fi
TOKEN_FILE=/var/run/secrets/token

aws sts assume-role-with-web-identity \
  --role-arn "$ROLE_ARN" \
  --role-session-name "$SESSION_NAME" \
  --web-identity-token "$(cat "$TOKEN_FILE")" \
  --duration-seconds "$DURATION"

deploy() {
  local role="arn:aws:iam::${ACCOUNT_ID}:rol/deploy"
  aws sts assume-role-with-web-identity \
    --role-arn "$role" \
    --role-session-name "deploy@$(hostname)" \
    --web-identity-token "$(cat "$TOKEN_FILE")"
}
deploy
