//! YAML, read with spans: the front end for CI definitions (GitHub Actions, GitLab CI, CircleCI,
//! ...), being built for the issue "Read CI files, docs and scripts the way their runners read
//! them". Not yet used by the pipeline.
//!
//! Parsing is `granit-parser`'s event API: the one well-kept YAML parser whose spans are UTF-8 byte
//! offsets with a start and an end for every scalar (saphyr-parser and yaml-rust2 count
//! characters, and yaml-rust2 and marked-yaml give a start only; libyaml-safer panics on a block
//! scalar at the end of a file without a newline). [`scalar`] turns one scalar event back into the
//! exact value the parser decoded, as a [`crate::source::Text`] whose every byte maps to the source
//! bytes it came from, so a finding inside a folded `script:` line points at the right column of
//! the YAML file. [`tree`] builds documents of spanned nodes on top, with anchors, aliases and
//! merge keys resolved.

pub mod scalar;
pub mod tree;
