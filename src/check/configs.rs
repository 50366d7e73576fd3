//! The configuration for each checked file: `stslint.toml` / `.stslint.toml` discovered per
//! directory and read once, or the one `--config` names, or none (`--isolated`).

use crate::config;
use crate::output::Report;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The configuration for each directory, discovered once (or the one `--config` names).
pub(super) struct Configs {
    pub(super) explicit: Option<Arc<config::Config>>,
    pub(super) isolated: bool,
    pub(super) by_dir: std::collections::HashMap<PathBuf, Arc<config::Config>>,
    pub(super) by_file: std::collections::HashMap<PathBuf, Arc<config::Config>>,
    /// The same, by the directory as written (a walk asks for each file's: no system call).
    pub(super) by_written: std::collections::HashMap<PathBuf, Arc<config::Config>>,
}

impl Configs {
    /// The configuration for files in `dir`; `None` when it is broken (reported in `report`).
    /// Shared, not copied, by every file it applies to.
    pub(super) fn for_dir(
        &mut self,
        dir: &Path,
        report: &mut Report,
    ) -> Option<Arc<config::Config>> {
        if let Some(c) = &self.explicit {
            return Some(c.clone());
        }
        if self.isolated {
            return Some(Arc::default());
        }
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Some(c) = self.by_written.get(dir) {
            return Some(c.clone());
        }
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(c) = self.by_dir.get(&key) {
            self.by_written.insert(dir.to_path_buf(), c.clone());
            return Some(c.clone());
        }
        let cfg = match config::discover(&key) {
            None => Arc::default(),
            Some(file) => match self.by_file.get(&file) {
                Some(c) => c.clone(),
                None => match config::load(&file, &mut report.sources) {
                    Ok(c) => {
                        let c = Arc::new(c);
                        self.by_file.insert(file, c.clone());
                        c
                    }
                    Err(diags) => {
                        report
                            .input_errors
                            .push(format!("{}: invalid configuration (I007)", file.display()));
                        report.diagnostics.extend(diags);
                        return None;
                    }
                },
            },
        };
        self.by_dir.insert(key, cfg.clone());
        self.by_written.insert(dir.to_path_buf(), cfg.clone());
        Some(cfg)
    }
}
