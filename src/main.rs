//! The `stslint` binary: parse arguments, run, exit.

mod cli;

fn main() {
    std::process::exit(cli::run() as i32);
}
