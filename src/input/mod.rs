//! Front ends: text in, spanned model out. Each input language is a sibling here and turns its
//! text into the same `crate::model` values, with every value's span in the file the user wrote:
//! [`shell`] splits shell text into commands, [`awscli`] reads `aws sts
//! assume-role-with-web-identity` arguments (and request JSON, `--cli-input-json`) as the AWS CLI
//! does, [`yaml`] finds the scripts of CI files (GitHub, GitLab, CircleCI, Bitbucket, Buildkite,
//! Azure, Drone, Concourse, Taskfile), [`docs`] the code blocks of Markdown, reStructuredText and
//! AsciiDoc, [`dockerfile`], [`jenkinsfile`] and [`terraform`] the scripts in `RUN`, `sh '...'`
//! and `local-exec` (each lexed by [`shell::embedded`] with spans mapped back into the file),
//! [`trust`] reads the role's side from exported IAM documents, [`load`] reads files and
//! `file://` targets within bounds, and [`kind`] decides cheaply what a file is. The rules the
//! front ends report while reading are declared in [`findings`]. May import `crate::model` and
//! the foundations; never `crate::rules`.

pub mod awscli;
pub mod dockerfile;
pub mod docs;
pub mod findings;
pub mod jenkinsfile;
pub mod kind;
pub mod load;
pub mod makefile;
pub mod shell;
pub mod terraform;
pub mod trust;
pub mod yaml;

/// A file in a language stslint does not read that names the operation: one I011 note at the
/// first mention, so the run does not pass it over in silence.
pub fn not_read(text: &str, source: crate::source::SourceId, language: &str) -> shell::Lexed {
    let mut out = shell::Lexed::default();
    if let Some(at) = text.find("assume-role-with-web-identity") {
        out.errors.push(
            findings::SCRIPT_NOT_READ
                .report(format!("this is a {language} file, which stslint does not read: the `assume-role-with-web-identity` call in it was not checked"))
                .at(crate::source::Span::new(source, at..at + "assume-role-with-web-identity".len()), "not read")
                .help("check the command it runs with `stslint check -- aws sts assume-role-with-web-identity ...`"),
        );
    }
    out
}
