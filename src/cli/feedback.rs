//! `counterclaim feedback report`: per-narrative precision from moderators' feedback, and the
//! threshold each narrative would need for a target precision.

use std::io::ErrorKind;

use anyhow::bail;
use counterclaim::feedback::{NarrativeFeedback, Report, ThresholdSource};
use counterclaim::store::feedback::{self as store, FeedbackRead};

use super::data_dir::DataDirArg;
use super::setup::KbArg;

#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    data_dir: DataDirArg,
    /// Each narrative's current threshold is read from this knowledge base.
    #[command(flatten)]
    kb: KbArg,
    /// The precision the suggested thresholds should reach.
    #[arg(long, default_value_t = 0.95)]
    target_precision: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn report(args: &ReportArgs) -> anyhow::Result<()> {
    if !(args.target_precision > 0.0 && args.target_precision <= 1.0) {
        bail!("--target-precision: must be within (0, 1]");
    }
    let path = args.data_dir.path()?.join(store::FILE_NAME);
    let FeedbackRead { records, skipped } = match store::read(&path) {
        Ok(read) => read,
        Err(counterclaim::Error::Io(e)) if e.kind() == ErrorKind::NotFound => bail!(
            "{}: no feedback recorded in this data directory (--data-dir, or \
             COUNTERCLAIM_DATA_DIR, names it)",
            path.display()
        ),
        Err(e) => return Err(e.into()),
    };
    // A torn last line after a crash, or a hand edit: reported, and the rest still counts.
    for line in &skipped {
        eprintln!(
            "warning: {}:{}: skipped: {}",
            path.display(),
            line.line,
            line.reason
        );
    }
    let kb = args.kb.load()?;
    let report = Report::build(&records, &kb, args.target_precision);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report, &path.display().to_string()));
    }
    Ok(())
}

/// The report as a table a person reads.
fn table(report: &Report, file: &str) -> String {
    let target = report.target_precision;
    let mut out = format!(
        "{} feedback records in {file}; thresholds for a precision of {target}\n\n",
        report.records
    );
    let width = report
        .narratives
        .iter()
        .map(|n| n.narrative_id.len())
        .chain(["narrative".len()])
        .max()
        .unwrap_or(0);
    out.push_str(&format!(
        "{:width$}  correct  wrong  missed  precision  missed share  threshold now     for {target}\n",
        "narrative"
    ));
    for n in &report.narratives {
        out.push_str(&format!(
            "{:width$}  {:>7}  {:>5}  {:>6}  {:>9}  {:>12}  {:<16}  {}\n",
            n.narrative_id,
            n.correct,
            n.wrong,
            n.missed,
            fraction(n.precision),
            fraction(n.missed_share),
            current(n),
            n.threshold_for_target
                .map_or_else(|| "none reaches it".to_owned(), |t| format!("{t:.2}")),
        ));
    }
    out
}

fn fraction(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

fn current(n: &NarrativeFeedback) -> String {
    let t = n.current_threshold;
    match n.threshold_source {
        ThresholdSource::Own => format!("{t:.2} (own)"),
        ThresholdSource::Default => format!("{t:.2} (default)"),
        ThresholdSource::NotInKnowledgeBase => "not in the kb".to_owned(),
    }
}
