//! Here-document bodies, read the way the shell reads them.
//!
//! - A body fed to a shell (`bash <<EOF`, `sh -s <<'EOF'`, `ssh host bash <<EOF`) is a script:
//!   it is lexed as one, its spans in the file.
//! - In an unquoted body (`<<EOF`) the shell runs every `$(...)` and backquote before the command
//!   reads the text (the CircleCI aws-cli orb's `read -r A B C <<EOF` / `$(aws sts ...)`): those
//!   commands are lexed, the rest is data.
//! - A quoted body (`<<'EOF'`) is data: `cat > deploy.sh <<'EOF'` writes a file, it runs nothing.
//!
//! A body with no closing delimiter line runs to the end of the input: bash and dash accept that
//! (bash warns "here-document at line N delimited by end-of-file"), so it is a warning (`I009`).

use super::wrappers::reads_script_from_stdin;
use super::{Lexer, WordBuf, MAX_NESTING};
use crate::input::findings::HEREDOC_UNTERMINATED;
use crate::source::{Span, Text};

/// What the shell does with a here-document's body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// The command reads it as a script.
    Script,
    /// Unquoted delimiter: command substitutions in it run; the rest is data.
    Expand,
    /// Quoted delimiter: data only.
    Literal,
}

/// A here-document whose body starts at the next newline.
pub(super) struct Heredoc {
    delim: String,
    /// `<<-`: leading tabs are stripped from each line, so the delimiter may be indented by tabs.
    strip_tabs: bool,
    /// Where the `<<` is.
    at: usize,
    mode: Mode,
}

impl Heredoc {
    /// A here-document given to the command whose words so far are `words`.
    pub(super) fn new(
        delim: String,
        strip_tabs: bool,
        at: usize,
        quoted: bool,
        words: &[Text],
    ) -> Self {
        let mode = if reads_script_from_stdin(words) {
            Mode::Script
        } else if quoted {
            Mode::Literal
        } else {
            Mode::Expand
        };
        Heredoc {
            delim,
            strip_tabs,
            at,
            mode,
        }
    }
}

impl Lexer<'_> {
    /// Reads the bodies of the here-documents started on the line that just ended.
    pub(super) fn read_heredocs(&mut self) {
        let pending = std::mem::take(&mut self.heredocs);
        for doc in pending {
            let start = self.pos;
            let mut body_end = None;
            while self.pos < self.end {
                let line_start = self.pos;
                let line_end = self.s[self.pos..self.end]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.end, |p| self.pos + p);
                let mut line = &self.text[self.pos..line_end];
                line = line.strip_suffix('\r').unwrap_or(line);
                if doc.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                self.pos = (line_end + 1).min(self.end);
                if line == doc.delim {
                    body_end = Some(line_start);
                    break;
                }
            }
            let next = self.pos;
            self.body(doc.mode, start..body_end.unwrap_or(self.end));
            self.pos = next;
            if body_end.is_none() {
                self.unterminated(&doc);
                return;
            }
        }
    }

    /// Lexes what runs in the body `range`.
    fn body(&mut self, mode: Mode, range: std::ops::Range<usize>) {
        if mode == Mode::Literal || range.is_empty() || self.depth >= MAX_NESTING {
            return;
        }
        let saved = (self.pos, self.end, std::mem::take(&mut self.heredocs));
        (self.pos, self.end) = (range.start, range.end);
        self.depth += 1;
        if mode == Mode::Script {
            self.nested_run(false, true);
        } else {
            // Only `\$`, `` \` `` and `\\` are escapes here; quotes are plain characters.
            let mut scratch = WordBuf::default();
            while let Some(c) = self.peek(0) {
                match c {
                    b'\\' => self.pos = (self.pos + 2).min(self.end),
                    b'$' => self.dollar(&mut scratch),
                    b'`' => self.backtick(&mut scratch),
                    _ => self.pos += 1,
                }
            }
        }
        self.depth -= 1;
        (self.pos, self.end, self.heredocs) = saved;
    }

    /// The warning for a here-document whose delimiter line never comes.
    pub(super) fn unterminated(&mut self, doc: &Heredoc) {
        let line = self.text[..doc.at.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        let delim = &doc.delim;
        let d = HEREDOC_UNTERMINATED
            .report(format!(
                "here-document at line {line} is delimited by end-of-file (wanted `{delim}`): \
                 bash and dash run it with the rest of the input as its body (bash warns \
                 `here-document at line {line} delimited by end-of-file`)"
            ))
            .at(
                Span::new(self.source, doc.at..doc.at + 2),
                "here-document starts here",
            )
            .help(format!(
                "end the here-document with a line holding only `{delim}` (no other text, no \
                 trailing spaces{})",
                if doc.strip_tabs {
                    "; only tabs may indent it"
                } else {
                    ", no indentation"
                }
            ));
        self.out.errors.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_aws, lex, shown as commands};
    use crate::source::Text;

    #[test]
    fn substitutions_in_unquoted_bodies_run() {
        let src = "read -r A B C <<EOF\n$(aws sts assume-role-with-web-identity \\\n--role-arn \"$R\" \\\n--output text)\nEOF\necho done\n";
        let l = lex(src, 0);
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        let aws = first_aws(&l);
        let shown: Vec<String> = aws.words.iter().map(Text::display).collect();
        assert_eq!(
            shown,
            [
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                "$R",
                "--output",
                "text"
            ]
        );
        assert_eq!(&src[aws.words[4].span.clone()], "\"$R\"");
        assert!(commands(src).contains(&vec!["echo".to_string(), "done".to_string()]));
        // backquotes too; and a `\$(` is data
        let c = commands("cat <<EOF\nx `aws sts a` \\$(aws sts b) '$(aws sts c)'\nEOF\n");
        let aws: Vec<_> = c
            .iter()
            .filter(|c| c[0] == "aws")
            .map(|c| c[2].clone())
            .collect();
        assert_eq!(aws, ["a", "c"]);
    }

    #[test]
    fn quoted_bodies_are_data_unless_a_shell_reads_them() {
        for src in [
            "cat > x.sh <<'EOF'\naws sts assume-role-with-web-identity\n$(aws sts x)\nEOF\n",
            "cat > x.sh <<\"EOF\"\naws sts y\nEOF\n",
            "cat <<EOF\naws sts assume-role-with-web-identity\nEOF\n",
            "python3 - <<\\EOF\n$(aws sts x)\nEOF\n",
        ] {
            assert!(
                !commands(src).iter().any(|c| c[0] == "aws"),
                "{src:?}: {:?}",
                commands(src)
            );
        }
        for src in [
            "bash <<'EOF'\naws sts z --a 'b c'\nEOF\n",
            "sh -s -- arg <<EOF\naws sts z --a 'b c'\nEOF\n",
            "ssh host bash <<EOF\n  aws sts z --a 'b c'\nEOF\n",
            "sudo -E bash <<-'EOF'\n\taws sts z --a 'b c'\n\tEOF\n",
            "zsh <<'EOF' | tee log\naws sts z --a 'b c'\nEOF\n",
        ] {
            let c = commands(src);
            assert!(
                c.contains(&vec![
                    "aws".into(),
                    "sts".into(),
                    "z".into(),
                    "--a".into(),
                    "b c".into()
                ]),
                "{src:?}: {c:?}"
            );
        }
        // spans in the body point into the file
        let src = "bash <<'EOF'\naws sts z --a 'b c'\nEOF\n";
        let l = lex(src, 0);
        let w = &first_aws(&l).words[4];
        assert_eq!(&src[w.span.clone()], "'b c'");
    }

    #[test]
    fn an_unterminated_heredoc_is_a_warning_and_its_body_still_runs() {
        let src = "x=1\nbash <<EOF\naws sts after\n";
        let l = lex(src, 0);
        assert_eq!(l.errors.len(), 1);
        let e = &l.errors[0];
        assert_eq!(e.rule.code, "I009");
        assert!(
            e.message.contains("line 2") && e.message.contains("end-of-file"),
            "{}",
            e.message
        );
        assert_eq!(e.primary.as_ref().unwrap().range, 9..11);
        assert!(commands(src)
            .iter()
            .any(|c| c.starts_with(&["aws".into(), "sts".into()])));
        // a `<<` on the last line, with no body at all
        let l = lex("cat <<EOF", 0);
        assert_eq!(
            l.errors.iter().map(|e| e.rule.code).collect::<Vec<_>>(),
            ["I009"]
        );
    }
}
