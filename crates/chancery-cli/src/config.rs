//! The config file: `chancery.toml` in the working folder, or the file `--config` names.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// Settings a config file may give; command-line flags win over them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The data folder.
    pub data: Option<PathBuf>,
    /// A PostgreSQL catalog URL (`postgres://…`): the source of truth the data folder follows.
    pub database: Option<String>,
    /// Default number of search hits.
    pub limit: Option<usize>,
    /// Address `chancery serve` listens on.
    pub listen: Option<std::net::SocketAddr>,
    /// Public base URL for permalinks and citations.
    pub base_url: Option<String>,
    /// The token that opens `chancery serve`'s admin endpoints (read-only without one).
    pub admin_token: Option<String>,
    /// Where `chancery fetch` downloads volumes from (`URL/ID.xml`).
    pub fetch_base_url: Option<String>,
    /// The list of volumes `chancery fetch --list` and `--all` read.
    pub fetch_list_url: Option<String>,
}

impl Config {
    /// Loads `path`, or `./chancery.toml` when present, or the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("chancery.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default())
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut config: Config = toml::from_str(&text)
            .with_context(|| format!("{}: not a valid config file", path.display()))?;
        // A relative data folder is relative to the config file.
        if let (Some(d), Some(base)) = (&config.data, path.parent()) {
            if d.is_relative() && !base.as_os_str().is_empty() {
                config.data = Some(base.join(d));
            }
        }
        Ok(config)
    }
}
