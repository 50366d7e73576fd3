//! I008: a shell script saved as Windows text: CRLF line endings or a byte-order mark. bash reads
//! both as part of the script's words. (stslint itself reads past them, so the invocation is
//! still checked.)

use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::source::{SourceId, Span};
use std::path::Path;

pub static RULE: Rule = Rule {
    code: "I008",
    name: "windows-text",
    severity: Severity::Error,
    summary: "A shell script with CRLF line endings or a byte-order mark, which bash misreads",
};

/// Whether a file of this name is run by a shell as a whole: a script, or text on standard input
/// or the command line. YAML (CI `run:` blocks) turns CRLF into LF before any shell sees it, and
/// make and just read their own files.
fn is_script(name: &str) -> bool {
    let p = Path::new(name);
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
    let file = p.file_name().and_then(|f| f.to_str()).unwrap_or("");
    !(matches!(ext, "yml" | "yaml" | "mk" | "mak")
        || matches!(
            file,
            "Makefile" | "makefile" | "GNUmakefile" | "Justfile" | "justfile" | "Dockerfile"
        ))
}

pub fn check(name: &str, text: &str, source: SourceId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !is_script(name) {
        return out;
    }
    if text.starts_with('\u{feff}') {
        out.push(
            RULE.report("the script starts with a byte-order mark (U+FEFF): bash reads it as part of the first word, so the first command (or the `#!` line) is not recognised".to_string())
                .at(Span::new(source, 0..3), "byte-order mark")
                .help("save the file as UTF-8 without a BOM (in VS Code: \"Save with Encoding\" → UTF-8)"),
        );
    }
    if let Some(first) = text.find("\r\n") {
        let lines = text.matches("\r\n").count();
        let line = text[..first].matches('\n').count() + 1;
        out.push(
            RULE.report(format!("{}: bash keeps the \\r as part of each line's last word (`--role-session-name ci` sends `ci\\r`), and a `\\` before it no longer continues the command", if lines == 1 {
                format!("line {line} of the script ends with CRLF (\\r\\n)")
            } else {
                format!("{lines} lines of the script end with CRLF (\\r\\n), the first on line {line}")
            }))
                .at(Span::new(source, first..first + 1), "carriage return")
                .help("convert the file to LF line endings (`dos2unix FILE`, or `sed -i 's/\\r$//' FILE`), and keep it so with `*.sh text eol=lf` in .gitattributes"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(name: &str, text: &str) -> usize {
        check(name, text, 0).len()
    }

    #[test]
    fn unix_text_passes() {
        assert_eq!(codes("a.sh", "aws sts \\\n  x\n"), 0);
        assert_eq!(
            codes("a.sh", "echo '\r'\n"),
            0,
            "a lone CR is not a line ending"
        );
        assert_eq!(codes("a.sh", "echo \u{feff}\n"), 0, "a BOM inside is text");
    }

    #[test]
    fn crlf_and_bom_in_scripts_fail() {
        assert_eq!(codes("a.sh", "aws sts \\\r\n  x\r\n"), 1);
        assert_eq!(codes("<stdin>", "\u{feff}aws sts x\n"), 1);
        assert_eq!(codes("run", "\u{feff}aws sts x\r\n"), 2);
        let d = &check("a.sh", "#!/bin/sh\necho\r\nx\r\n", 0)[0];
        assert!(
            d.message
                .starts_with("2 lines of the script end with CRLF (\\r\\n), the first on line 2"),
            "{}",
            d.message
        );
        assert_eq!(d.primary.as_ref().unwrap().range, 14..15);
    }

    #[test]
    fn yaml_and_makefiles_are_left_alone() {
        for name in [
            "ci.yml",
            ".gitlab-ci.yaml",
            "Makefile",
            "rules.mk",
            "Dockerfile",
        ] {
            assert_eq!(codes(name, "\u{feff}run: x\r\n"), 0, "{name}");
        }
    }
}
