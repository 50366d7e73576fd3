# Terraform: a local-exec command (heredoc) and an external data source.
resource "null_resource" "assume" {
  provisioner "local-exec" {
    interpreter = ["/bin/bash", "-c"]
    command     = <<-EOT
      aws sts assume-role-with-web-identity \
        --role-arn ${aws_iam_role.deploy.arn} \
        --role-session-name tf-$${USER} \
        --web-identity-token "$(cat $${TFC_WORKLOAD_IDENTITY_TOKEN_PATH})" > creds.json
    EOT
  }
}

data "external" "creds" {
  program = ["bash", "-c", "aws sts assume-role-with-web-identity --role-arn ${aws_iam_role.deploy.arn} --role-session-name \"tf external\" --web-identity-token \"$TOKEN\" --query Credentials"]
}
