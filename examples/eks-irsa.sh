#!/bin/sh
# Inside a pod with IAM Roles for Service Accounts (IRSA): EKS injects AWS_ROLE_ARN and
# AWS_WEB_IDENTITY_TOKEN_FILE. Here the role and token file are spelled out, with two slips.
aws sts assume-role-with-web-identity \
  --role-arn arn:aws:iam::111122223333:role/eks-app \
  --role-session-name irsa-app \
  --web-identity-token /var/run/secrets/eks.amazonaws.com/serviceaccount/token \
  --policy-arns arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess \
  --duration-seconds 900 \
  --region us-west-2

# The same, done right: file:// makes the CLI send the token file's content.
aws sts assume-role-with-web-identity \
  --role-arn "$AWS_ROLE_ARN" \
  --role-session-name irsa-app \
  --web-identity-token "file://$AWS_WEB_IDENTITY_TOKEN_FILE" \
  --policy-arns arn=arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
