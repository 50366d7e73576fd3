//! Front ends: text in, spanned model out. Each input language is a sibling here and turns its
//! text into the same `crate::model` values, with every value's span in the file the user wrote:
//! [`shell`] splits shell text into commands, [`awscli`] reads `aws sts
//! assume-role-with-web-identity` arguments (and request JSON, `--cli-input-json`) as the AWS CLI
//! does, [`trust`] reads the role's side from exported IAM documents, [`load`] reads files and
//! `file://` targets within bounds, and [`kind`] decides cheaply what a file is. The rules the
//! front ends report while reading are declared in [`findings`]. May import `crate::model` and
//! the foundations; never `crate::rules`.

pub mod awscli;
pub mod docs;
pub mod findings;
pub mod kind;
pub mod load;
pub mod shell;
pub mod trust;
pub mod yaml;
