//! The trend store's flags (`serve`, `score --record`), and opening it in the data directory.

use std::sync::Arc;

use anyhow::Context;
use counterclaim::store::trends::{TrendOptions, TrendRecorder, TrendStore};

use super::data_dir::DataDirArg;

#[derive(clap::Args, Clone)]
pub struct TrendArgs {
    /// Record each matched post's text in the trend store too (default: ids, narratives,
    /// stances, scores and matched words only).
    #[arg(long, env = "COUNTERCLAIM_RECORD_TEXT")]
    pub record_text: bool,
    /// Delete recorded matches older than this many days (the hourly counts are kept).
    #[arg(long, env = "COUNTERCLAIM_RETENTION_DAYS", default_value_t = 90)]
    pub retention_days: u32,
}

impl TrendArgs {
    /// Opens `DATA_DIR/trends.sqlite` (creating it) and starts its writer.
    pub fn open(&self, data_dir: &DataDirArg) -> anyhow::Result<(Arc<TrendStore>, TrendRecorder)> {
        let dir = data_dir.path()?;
        let options = TrendOptions {
            retention_days: self.retention_days,
            record_text: self.record_text,
            ..TrendOptions::default()
        };
        let (store, recorder) = TrendStore::open(&dir, options)
            .with_context(|| format!("opening the trend store in {}", dir.display()))?;
        tracing::info!(
            path = %store.path().display(),
            retention_days = self.retention_days,
            record_text = self.record_text,
            "recording matches in the trend store"
        );
        Ok((Arc::new(store), recorder))
    }
}
