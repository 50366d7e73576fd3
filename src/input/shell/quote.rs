//! Shell text written back from words: argv invocations (`stslint check -- aws sts ...`) become one
//! line of shell text that reads back into the same words.

/// The words of an argv invocation as one line of shell text, each quoted so it reads back the same.
pub fn argv_text(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes a word for a POSIX shell, only when needed.
pub fn shell_quote(w: &str) -> String {
    if !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%^".contains(&b))
    {
        return w.to_string();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}
