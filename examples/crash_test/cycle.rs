//! One crash cycle: start `counterclaim serve` with the admin API on a data directory, send
//! knowledge-base writes one after another, SIGKILL the server while a write is in flight,
//! start it again and check that it serves exactly the last acknowledged version, or the write
//! that was in flight if it had been stored: never a torn or an older one.
//!
//! The expected versions are computed here with the library, by applying each acknowledged
//! document to a copy of the knowledge base, so the check does not trust the server's word.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use counterclaim::admin::pb::{
    self as admin_pb, knowledge_base_admin_client::KnowledgeBaseAdminClient,
};
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::kb::{DocumentFormat, KnowledgeBase};

/// The narrative every write replaces; each write changes one variant, so each is a new version.
pub const DOCUMENT: &str = include_str!("../../tests/fixtures/admin/voting-machines.toml");

/// What the cycles saw.
#[derive(Debug, Default)]
pub struct Report {
    pub cycles: usize,
    pub acknowledged: usize,
    /// Restarts that served the write in flight at the kill (stored, not yet acknowledged).
    pub in_flight_stored: usize,
}

/// The document of write number `n`.
pub fn document(n: u64) -> String {
    DOCUMENT.replace(
        "machines flipped thousands of votes overnight",
        &format!("machines flipped {n} votes overnight"),
    )
}

/// The knowledge base the data directory must hold, kept in step with the server's.
pub struct Expected {
    pub kb: KnowledgeBase,
    pub writes: u64,
}

impl Expected {
    pub fn new() -> anyhow::Result<Self> {
        Ok(Self {
            kb: KnowledgeBase::built_in()?,
            writes: 0,
        })
    }

    fn after(&self, n: u64) -> anyhow::Result<KnowledgeBase> {
        let (kb, _) = self
            .kb
            .with_narrative_document(&document(n), DocumentFormat::Toml)?;
        Ok(kb)
    }
}

/// Runs one cycle: the server is killed `kill_after` after its first write was sent.
pub async fn cycle(
    binary: &Path,
    data_dir: &Path,
    expected: &mut Expected,
    kill_after: Duration,
    report: &mut Report,
) -> anyhow::Result<()> {
    let mut server = Server::start(binary, data_dir)?;
    let served = server.kb_version().await?;
    if served != expected.kb.version() {
        bail!(
            "cycle {}: the restarted server serves {served}, expected {}",
            report.cycles,
            expected.kb.version()
        );
    }
    let mut admin = KnowledgeBaseAdminClient::connect(format!("http://{}", server.admin)).await?;
    let deadline = Instant::now() + kill_after;
    let in_flight = loop {
        let n = expected.writes + 1;
        let write = admin.put_narrative(admin_pb::PutNarrativeRequest {
            document: document(n),
            format: admin_pb::DocumentFormat::Toml.into(),
            if_version: String::new(),
        });
        match tokio::time::timeout_at(deadline.into(), write).await {
            Err(_) => break Some(n),
            Ok(Ok(answer)) => {
                let kb = expected.after(n)?;
                let acknowledged = answer.into_inner().version_after;
                if acknowledged != kb.version() {
                    bail!(
                        "write {n} acknowledged {acknowledged}, expected {}",
                        kb.version()
                    );
                }
                *expected = Expected { kb, writes: n };
                report.acknowledged += 1;
            }
            Ok(Err(status)) => bail!("write {n} failed: {status:?}"),
        }
    };
    server.kill();
    // The write in flight may have been stored before the kill; then it is what must be served.
    let mut server = Server::start(binary, data_dir)?;
    let served = server.kb_version().await?;
    if served != expected.kb.version() {
        let Some(n) = in_flight else {
            bail!(
                "after the kill the server serves {served}, expected {}",
                expected.kb.version()
            );
        };
        let kb = expected.after(n)?;
        if served != kb.version() {
            bail!(
                "after the kill the server serves {served}: neither the last acknowledged \
                 version {} nor the write in flight {}",
                expected.kb.version(),
                kb.version()
            );
        }
        *expected = Expected { kb, writes: n };
        report.in_flight_stored += 1;
    }
    server.kill();
    report.cycles += 1;
    Ok(())
}

struct Server {
    child: Child,
    addr: SocketAddr,
    admin: SocketAddr,
}

impl Server {
    fn start(binary: &Path, data_dir: &Path) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .args(["serve", "--lexical", "--no-http", "--addr", "127.0.0.1:0"])
            .args([
                "--admin-addr",
                "127.0.0.1:0",
                "--insecure-admin",
                "--data-dir",
            ])
            .arg(data_dir)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut lines = BufReader::new(child.stdout.take().context("no stdout")?).lines();
        let mut address = |prefix: &str| -> anyhow::Result<SocketAddr> {
            let line = lines
                .next()
                .context("the server stopped before listening")??;
            let addr = line
                .strip_prefix(prefix)
                .with_context(|| format!("expected {prefix:?}, got {line:?}"))?;
            Ok(addr.trim().parse()?)
        };
        let addr = address("listening on ")?;
        let admin = address("admin listening on ")?;
        Ok(Self { child, addr, admin })
    }

    async fn kb_version(&mut self) -> anyhow::Result<String> {
        let mut client = CounterclaimClient::connect(format!("http://{}", self.addr)).await?;
        let info = client.get_server_info(pb::GetServerInfoRequest {}).await?;
        Ok(info.into_inner().kb_version)
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
