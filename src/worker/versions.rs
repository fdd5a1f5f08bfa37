//! Which knowledge-base version each live worker scores with: a key-value bucket next to the
//! stream (`<stream>_workers`), one key per worker holding its version, written at start-up
//! and again every [`REFRESH`]; a key not refreshed for [`LIVE_FOR`] (a worker gone without
//! saying so) expires. A worker reads the others' versions when it starts and at each refresh,
//! says in a warning when one differs from its own, and names the differing versions in every
//! result it publishes (`other_kb_versions`).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, kv};
use tokio_stream::StreamExt;

use super::WorkerError;

/// How often a worker writes its key again (and reads the others').
pub const REFRESH: Duration = Duration::from_secs(10);
/// How long a key lives without being written again.
pub const LIVE_FOR: Duration = Duration::from_secs(30);

pub struct Versions {
    store: kv::Store,
    key: String,
    mine: String,
    /// Versions of other live workers that differ from `mine`, as last read.
    others: Vec<String>,
    refreshed: Instant,
}

/// The bucket of the workers on `stream`.
fn bucket(stream: &str) -> String {
    format!("{stream}_workers")
}

impl Versions {
    /// Writes this worker's version and reads the others', warning if any differs.
    pub async fn join(
        js: &jetstream::Context,
        stream: &str,
        mine: &str,
    ) -> Result<Self, WorkerError> {
        let name = bucket(stream);
        // The bucket's stream as `create_key_value` would make it: that call first asks for
        // the account's info, whose reply from nats-server 2.9 (Debian's) async-nats 0.51
        // cannot parse; a stream made this way is a bucket to every client.
        js.get_or_create_stream(jetstream::stream::Config {
            name: format!("KV_{name}"),
            subjects: vec![format!("$KV.{name}.>")],
            max_messages_per_subject: 1,
            max_age: LIVE_FOR,
            storage: jetstream::stream::StorageType::File,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: true,
            discard: jetstream::stream::DiscardPolicy::New,
            ..Default::default()
        })
        .await
        .map_err(|e| WorkerError::nats(format!("creating the key-value bucket {name}"), e))?;
        let store = (js.get_key_value(&name).await)
            .map_err(|e| WorkerError::nats(format!("opening the key-value bucket {name}"), e))?;
        let mut versions = Self {
            store,
            // Unique among clients: the random part of an inbox name.
            key: js.client().new_inbox().replace("_INBOX.", ""),
            mine: mine.to_owned(),
            others: Vec::new(),
            refreshed: Instant::now(),
        };
        versions.refresh().await;
        Ok(versions)
    }

    /// The versions of other live workers that differ from this one's.
    pub fn others(&self) -> &[String] {
        &self.others
    }

    /// Writes this worker's key again and reads the others' when [`REFRESH`] has passed. A
    /// failure is logged and changes nothing: the versions are advice, not a gate.
    pub async fn refresh_if_due(&mut self) {
        if self.refreshed.elapsed() >= REFRESH {
            self.refresh().await;
        }
    }

    async fn refresh(&mut self) {
        self.refreshed = Instant::now();
        if let Err(error) = self.store.put(&self.key, self.mine.clone().into()).await {
            tracing::warn!(%error, "could not record this worker's knowledge-base version");
            return;
        }
        let others = match self.read_others().await {
            Ok(others) => others,
            Err(error) => {
                tracing::warn!(%error, "could not read the other workers' knowledge-base versions");
                return;
            }
        };
        let new: Vec<&String> = others.iter().filter(|v| !self.others.contains(v)).collect();
        if !new.is_empty() {
            tracing::warn!(
                kb_version = %self.mine,
                other_kb_versions = ?new,
                "this worker's knowledge base differs from other live workers': results will \
                 mix versions (each names its kb_version, and the others as other_kb_versions)"
            );
        }
        self.others = others.into_iter().collect();
    }

    async fn read_others(
        &self,
    ) -> Result<BTreeSet<String>, Box<dyn std::error::Error + Send + Sync>> {
        let mut keys = self.store.keys().await?;
        let mut others = BTreeSet::new();
        while let Some(key) = keys.next().await {
            let key = key?;
            if key == self.key {
                continue;
            }
            if let Some(version) = self.store.get(key).await?
                && let Ok(version) = std::str::from_utf8(&version)
                && version != self.mine
            {
                others.insert(version.to_owned());
            }
        }
        Ok(others)
    }

    /// Removes this worker's key: a worker stopping is no longer live.
    pub async fn leave(&self) {
        if let Err(error) = self.store.delete(&self.key).await {
            tracing::debug!(%error, "could not remove this worker's knowledge-base version");
        }
    }
}
