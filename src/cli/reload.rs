//! `counterclaim kb reload`: checks a knowledge base's files as `kb check` does and, only if
//! they load, tells the server serving them to reload (SIGHUP), so a typo is reported at the
//! curator's terminal instead of in the server's log.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

#[derive(clap::Args)]
pub struct ReloadArgs {
    /// The knowledge base the server was started with (its --kb).
    path: PathBuf,
    /// The server's process id.
    #[arg(
        long,
        conflicts_with = "pid_file",
        required_unless_present = "pid_file"
    )]
    pid: Option<i32>,
    /// The file `counterclaim serve --pid-file` wrote.
    #[arg(long)]
    pid_file: Option<PathBuf>,
}

pub fn run(args: &ReloadArgs) -> anyhow::Result<()> {
    super::tools::check(Some(args.path.clone()))?;
    let pid = match (args.pid, &args.pid_file) {
        (Some(pid), _) => pid,
        (None, Some(file)) => read_pid(file)?,
        (None, None) => bail!("--pid or --pid-file: which server to reload"),
    };
    hang_up(pid)?;
    println!(
        "sent SIGHUP to process {pid}: the server logs \"knowledge base reloaded\" with the new \
         version, or why it kept the old one"
    );
    Ok(())
}

fn read_pid(file: &Path) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: reading the pid file", file.display()))?;
    text.trim()
        .parse()
        .with_context(|| format!("{}:1: not a process id: {:?}", file.display(), text.trim()))
}

#[cfg(unix)]
fn hang_up(pid: i32) -> anyhow::Result<()> {
    use rustix::process::{Pid, Signal, kill_process};
    let target = Pid::from_raw(pid).with_context(|| format!("{pid}: not a process id"))?;
    kill_process(target, Signal::HUP).with_context(|| format!("signalling process {pid}"))
}

#[cfg(not(unix))]
fn hang_up(_: i32) -> anyhow::Result<()> {
    bail!("kb reload signals the server with SIGHUP, which only Unix has")
}
