//! `counterclaim kb export`: the knowledge base published in another format.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use counterclaim::kb::export::{ExportFormat, claimreview};

use super::setup::KbArg;

/// The default `--base-url`: a placeholder (the `.invalid` top-level domain never resolves), so
/// that output nobody configured cannot pass for a real site's.
pub const PLACEHOLDER_BASE_URL: &str = "https://counterclaim.invalid";

#[derive(clap::Args)]
pub struct ExportArgs {
    /// claimreview: schema.org ClaimReview JSON-LD, a DataFeed of one review per narrative
    /// (`kb import --format claimreview` reads it back).
    #[arg(long)]
    format: ExportFormat,
    #[command(flatten)]
    kb: KbArg,
    /// The site the reviews are published on: each review's url is
    /// `<URL>/narratives/<id>`. Officials set their own site's address; the default is a
    /// placeholder.
    #[arg(long, default_value = PLACEHOLDER_BASE_URL)]
    base_url: String,
    /// Export only this narrative, as one standalone ClaimReview.
    #[arg(long, value_name = "ID")]
    narrative: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    check_base_url(&args.base_url)?;
    let kb = args.kb.load()?;
    // One format so far: a second one makes this an error to handle.
    let ExportFormat::ClaimReview = args.format;
    let value = match &args.narrative {
        None => claimreview::all(&kb, &args.base_url),
        Some(id) => {
            let Some(narrative) = kb.narrative(id) else {
                bail!(
                    "--narrative {id}: no such narrative in {} (`counterclaim narratives list` \
                     lists them)",
                    args.kb.name()
                );
            };
            if narrative.statement_ids.is_empty() {
                bail!(
                    "--narrative {id}: no official statement rebuts it in {}, so it has no \
                     rebuttal to publish",
                    args.kb.name()
                );
            }
            claimreview::narrative(&kb, narrative, &args.base_url)
        }
    };
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("-o {}: cannot write", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}

/// An absolute http(s) url without a query or fragment, so that `<url>/narratives/<id>` is the
/// page of the narrative and its last segment the id.
fn check_base_url(url: &str) -> anyhow::Result<()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', '#', ' ']) =>
        {
            Ok(())
        }
        _ => bail!(
            "--base-url {url:?}: expected your site's address, such as https://elections.example.gov \
             (http or https, no query or fragment)"
        ),
    }
}
