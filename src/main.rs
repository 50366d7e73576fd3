//! The `stslint` binary: parse arguments, run, exit.

mod cli;

// A directory walk allocates many small, short-lived values per file; mimalloc makes that about
// a third cheaper than the system allocator (see README "Performance").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A panic is a bug. Its message may quote the text being read, so it is printed with anything
    // token-like removed (stslint::redact::panic_report), and the exit code is 2, not Rust's 101.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let location = info.location().map(|l| (l.file(), l.line()));
        // A closed stderr must not make the hook panic again (that aborts with SIGABRT).
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            stslint::redact::panic_report(message, location)
        );
    }));
    let code = std::panic::catch_unwind(cli::run).map_or(2, |exit| exit as i32);
    std::process::exit(code);
}
