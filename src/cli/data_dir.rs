//! The data directory flag, shared by the commands that read or write it.

use std::path::PathBuf;

use anyhow::Context;

#[derive(clap::Args, Clone)]
pub struct DataDirArg {
    /// Where the service keeps its data: knowledge-base versions written through the admin API,
    /// moderators' feedback [default: $XDG_DATA_HOME/counterclaim, or
    /// ~/.local/share/counterclaim].
    #[arg(long, env = "COUNTERCLAIM_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

impl DataDirArg {
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        self.data_dir
            .clone()
            .or_else(counterclaim::embed::default_data_dir)
            .context("no data directory: set --data-dir or COUNTERCLAIM_DATA_DIR (HOME is unset)")
    }
}
