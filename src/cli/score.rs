//! `counterclaim score`: batch scoring, its summary, and an exit status that fails a run in
//! which no post could be read.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::data_dir::DataDirArg;
use super::setup::{MatcherArgs, match_options};
use super::trends::TrendArgs;
use anyhow::{Context, bail};
use counterclaim::batch::{self, ScoreConfig};
use counterclaim::store::trends::{MatchRecord, unix_now};

#[derive(clap::Args)]
pub struct ScoreArgs {
    /// Input files; `-` is standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    matcher: MatcherArgs,
    /// Output format.
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "csv"])]
    format: String,
    #[command(flatten)]
    input: InputArgs,
    /// Matches per post at most.
    #[arg(long, default_value_t = 3)]
    top_k: u32,
    /// Report matches scoring at least this; 0 returns the top-k candidates whatever their
    /// score (what ranking evaluation needs). Default: the service's threshold.
    #[arg(long)]
    min_score: Option<f32>,
    /// Scoring threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Write bad records here as JSONL (input, line, error).
    #[arg(long)]
    errors: Option<PathBuf>,
    /// Write the summary here as JSON.
    #[arg(long)]
    summary: Option<PathBuf>,
    /// Stop at the first bad record with a non-zero exit.
    #[arg(long)]
    strict: bool,
    /// Record the matches in the trend store of the data directory, as the service does (a
    /// post's time is its `created_at` if it has one, else now).
    #[arg(long)]
    record: bool,
    #[command(flatten)]
    trends: TrendArgs,
    #[command(flatten)]
    data_dir: DataDirArg,
}

/// How to read posts from an input: `score`'s inputs, `eval --stream`'s stream.
#[derive(clap::Args)]
pub struct InputArgs {
    /// Input format when the extension does not tell (default: by extension; stdin is jsonl).
    #[arg(long, value_parser = ["jsonl", "csv", "tsv"])]
    input_format: Option<String>,
    /// The field (JSONL) or column (CSV, TSV) holding the post id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// The field or column holding the post text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
}

impl InputArgs {
    pub fn format(&self) -> anyhow::Result<Option<batch::InputFormat>> {
        (self.input_format.as_deref())
            .map(|f| f.parse().map_err(anyhow::Error::msg))
            .transpose()
    }

    pub fn fields(&self) -> batch::Fields {
        batch::Fields {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
        }
    }
}

pub fn run(args: ScoreArgs) -> anyhow::Result<()> {
    let config = ScoreConfig {
        output: args.output,
        output_format: args.format.parse().map_err(anyhow::Error::msg)?,
        input_format: args.input.format()?,
        id_field: args.input.id_field,
        text_field: args.input.text_field,
        options: match_options(args.top_k, "--top-k", args.min_score, false)?,
        threads: args.threads,
        errors: args.errors,
        strict: args.strict,
        progress: std::io::stderr().is_terminal(),
        ..ScoreConfig::new(args.inputs)
    };
    // The inputs and settings are checked before the matcher is built (seconds, in hybrid
    // mode), so a typo fails at once.
    batch::check(&config)?;
    if config.inputs.iter().any(|i| i.as_os_str() == batch::STDIN) && std::io::stdin().is_terminal()
    {
        eprintln!("Reading posts from standard input (end with Ctrl-D)…");
    }
    if args.trends.record_text && !args.record {
        bail!("--record-text records the texts of a --record run: add --record");
    }
    let trends = match args.record {
        true => Some(args.trends.open(&args.data_dir)?),
        false => None,
    };
    let matcher = args.matcher.matcher()?;
    let record = |post: &counterclaim::matcher::Post,
                  outcome: &counterclaim::matcher::MatchOutcome| {
        if let Some((_, recorder)) = &trends {
            recorder.record_waiting(MatchRecord::of(
                post,
                outcome,
                recorder.record_text(),
                unix_now(),
            ));
        }
    };
    let sink: Option<batch::MatchSink> = trends.as_ref().map(|_| &record as batch::MatchSink);
    let result = batch::score_with(&matcher, &config, sink)?;
    eprintln!("{}", result.to_text());
    if let Some((store, recorder)) = &trends {
        recorder.flush();
        eprintln!(
            "Recorded {} matches in {} ({} dropped).",
            recorder.recorded(),
            store.path().display(),
            recorder.dropped()
        );
    }
    if let Some(path) = args.summary {
        let json = serde_json::to_string_pretty(&result)?;
        std::fs::write(&path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if result.written() == 0 && result.skipped > 0 {
        bail!(
            "no post could be read: all {} records were bad (see above)",
            result.skipped
        );
    }
    Ok(())
}
