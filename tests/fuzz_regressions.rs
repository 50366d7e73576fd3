//! Every input a fuzz target (`fuzz/`) ever failed on, replayed through the same entry point
//! (`stslint::check::fuzzing::run`) on every test run: `fuzz/regressions/TARGET/*`.

use std::path::PathBuf;

#[test]
fn every_recorded_crash_input_now_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for target in stslint::check::fuzzing::TARGETS {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            eprintln!("{target}: {}", f.display());
            stslint::check::fuzzing::run(target, &data);
            n += 1;
        }
    }
    assert!(
        n > 0,
        "fuzz/regressions/ holds the inputs the fuzzers found"
    );
}
