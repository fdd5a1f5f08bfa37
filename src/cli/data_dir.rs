//! `--data-dir`: where the service keeps what it writes (knowledge-base versions, moderators'
//! feedback), shared by `serve` and the commands that read it.

use std::path::{Path, PathBuf};

#[derive(clap::Args, Clone, Debug)]
pub struct DataDirArg {
    /// Data directory: knowledge-base versions and moderators' feedback (`feedback.jsonl`)
    /// [default: `$XDG_DATA_HOME/counterclaim`, else `~/.local/share/counterclaim`].
    #[arg(long, env = "COUNTERCLAIM_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

impl DataDirArg {
    /// The directory the flag, its variable or the default names.
    pub fn path(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(default_data_dir)
    }
}

/// `counterclaim` under the user's data directory, as the XDG specification places it: a
/// relative `$XDG_DATA_HOME` is ignored. Without any home, the working directory's
/// `counterclaim-data`, so a service run by a user without one still has somewhere to write.
fn default_data_dir() -> PathBuf {
    let absolute = |var| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    absolute("XDG_DATA_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".local/share")))
        .map_or_else(
            || Path::new("counterclaim-data").to_path_buf(),
            |data| data.join("counterclaim"),
        )
}
