//! Evaluation (`counterclaim eval`) and knowledge-base maintenance (`counterclaim kb`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use counterclaim::kb::KnowledgeBase;
use counterclaim::kb::import::{self, ImportFormat};
use counterclaim::matcher::{MatchOptions, Matcher};

use super::score::InputArgs;
use super::setup::MatcherArgs;

#[derive(clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    matcher: MatcherArgs,
    /// Queries, `id<TAB>text` (a header line is skipped).
    #[arg(long, requires = "qrels", required_unless_present_any = ["posts", "stream"])]
    queries: Option<PathBuf>,
    /// TREC qrels: `qid 0 docid relevance`.
    #[arg(long, requires = "queries")]
    qrels: Option<PathBuf>,
    /// Cutoff of MAP@k.
    #[arg(long, default_value_t = 5)]
    k: usize,
    /// Write the ranking as a TREC run file.
    #[arg(long)]
    run: Option<PathBuf>,
    /// Labelled posts (JSONL: id, text, narrative, stance, form).
    #[arg(long, conflicts_with_all = ["queries", "qrels"])]
    posts: Option<PathBuf>,
    /// A stream of posts in any format `score` reads (`-`: standard input, JSONL unless
    /// --input-format says otherwise); every post not in --labels should
    /// match nothing. Prints alarms per 10,000 posts, precision, recall, the reliability of
    /// the scores and every alarm and miss with its evidence.
    #[arg(long, requires = "labels", conflicts_with_all = ["queries", "qrels", "posts"])]
    stream: Option<PathBuf>,
    /// Sparse labels of the stream (JSONL: id, narrative, stance?, also?).
    #[arg(long, requires = "stream")]
    labels: Option<PathBuf>,
    /// How to read the stream.
    #[command(flatten)]
    input: InputArgs,
    /// Also write every candidate's score features and label as JSONL (for
    /// scripts/fit_score.py).
    #[arg(long)]
    features: Option<PathBuf>,
}

pub fn eval(args: EvalArgs) -> anyhow::Result<()> {
    match (&args.posts, &args.queries, &args.qrels) {
        (Some(posts), _, _) => eval_posts(&args, posts),
        (None, Some(queries), Some(qrels)) => eval_ranking(&args, queries, qrels),
        _ => match (&args.stream, &args.labels) {
            (Some(stream), Some(labels)) => eval_stream(&args, stream, labels),
            _ => bail!("give --posts, --stream with --labels, or --queries with --qrels"),
        },
    }
}

/// Fails with the flag's name when a file it names is missing, before any work is done.
fn must_exist(flag: &str, path: &Path) -> anyhow::Result<()> {
    if !path.exists() {
        bail!("{flag} {}: no such file", path.display());
    }
    Ok(())
}

fn write_features(
    path: Option<&Path>,
    rows: impl FnOnce() -> Vec<counterclaim::eval::FeatureRow>,
) -> anyhow::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for row in rows() {
        serde_json::to_writer(&mut out, &row)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    }
    Ok(())
}

fn eval_ranking(args: &EvalArgs, queries: &Path, qrels: &Path) -> anyhow::Result<()> {
    use counterclaim::eval::ranking;
    must_exist("--queries", queries)?;
    must_exist("--qrels", qrels)?;
    let matcher = args.matcher.matcher()?;
    let queries = ranking::read_queries(queries).map_err(anyhow::Error::msg)?;
    let file =
        std::fs::File::open(qrels).with_context(|| format!("opening {}", qrels.display()))?;
    let qrels = ranking::read_qrels(std::io::BufReader::new(file), &qrels.display().to_string())
        .map_err(anyhow::Error::msg)?;
    let started = std::time::Instant::now();
    let matches = ranking::rank_matches(&matcher, &queries);
    let rankings = ranking::scored(&matches);
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.run {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        ranking::write_run(&mut out, &queries, &rankings, "counterclaim")?;
    }
    println!(
        "{}",
        ranking::evaluate(&queries, &rankings, &qrels, args.k).to_text()
    );
    eprintln!("ranked {} queries in {seconds:.2} s", queries.len());
    write_features(args.features.as_deref(), || {
        ranking::feature_rows(&queries, &matches, &qrels)
    })?;
    Ok(())
}

fn eval_posts(args: &EvalArgs, posts: &Path) -> anyhow::Result<()> {
    use counterclaim::eval::labelled;
    must_exist("--posts", posts)?;
    let matcher = args.matcher.matcher()?;
    let posts = labelled::read_posts(posts).map_err(anyhow::Error::msg)?;
    let report = labelled::evaluate(&matcher, &posts, &MatchOptions::default());
    write_features(args.features.as_deref(), || {
        labelled::feature_rows(&matcher, &posts)
    })?;
    print!("{}", report.to_text());
    Ok(())
}

fn eval_stream(args: &EvalArgs, stream: &Path, labels: &Path) -> anyhow::Result<()> {
    use counterclaim::eval::stream;
    if stream.as_os_str() != counterclaim::batch::STDIN {
        must_exist("--stream", stream)?;
    }
    must_exist("--labels", labels)?;
    let (format, fields) = (args.input.format()?, args.input.fields());
    let matcher = args.matcher.matcher()?;
    let labels = stream::read_labels(labels).map_err(anyhow::Error::msg)?;
    let threshold = counterclaim::matcher::DEFAULT_THRESHOLD;
    let report = stream::evaluate(&matcher, stream, format, &fields, &labels, threshold)
        .map_err(anyhow::Error::msg)?;
    print!("{}", report.to_text());
    write_features(args.features.as_deref(), || report.rows.clone())?;
    Ok(())
}

#[derive(clap::Args)]
pub struct ImportArgs {
    input: PathBuf,
    /// checkthat2020, checkthat2022 or claimreview.
    #[arg(long)]
    format: ImportFormat,
    /// Output: flat JSONL (a file) or the native TOML directory (needs official statements,
    /// which ClaimReview provides).
    #[arg(long, default_value = "flat", value_parser = ["flat", "native"])]
    to: String,
    /// Where to write: a .jsonl file (flat) or a new directory (native).
    #[arg(short, long)]
    output: PathBuf,
}

pub fn import(args: ImportArgs) -> anyhow::Result<()> {
    let (input, output) = (&args.input, &args.output);
    let imported = import::import(input, args.format)?;
    const SHOWN: usize = 20;
    for skipped in imported.skipped.iter().take(SHOWN) {
        eprintln!("{}: {skipped}: skipped", input.display());
    }
    if imported.skipped.len() > SHOWN {
        eprintln!("… and {} more skipped", imported.skipped.len() - SHOWN);
    }
    if args.to == "native" {
        import::write_native(&imported, output)?;
    } else {
        let file = std::fs::File::create(output)
            .with_context(|| format!("creating {}", output.display()))?;
        let mut out = std::io::BufWriter::new(file);
        import::write_flat(&imported, &mut out)?;
        std::io::Write::flush(&mut out)?;
    }
    eprintln!(
        "{}: {} narratives, {} claims, {} statements imported, {} records skipped → {}",
        input.display(),
        imported.narratives.len(),
        imported.claim_count(),
        imported.statements.len(),
        imported.skipped.len(),
        output.display()
    );
    Ok(())
}

/// `kb check`: loads and validates, prints what the knowledge base holds, then what a curator
/// should fix though loading accepts it (on stderr, one warning a line).
pub fn check(path: Option<PathBuf>) -> anyhow::Result<()> {
    let (kb, name) = match &path {
        Some(path) => (KnowledgeBase::load(path)?, path.display().to_string()),
        None => (
            KnowledgeBase::built_in()?,
            "the shipped knowledge base (built in)".to_owned(),
        ),
    };
    println!(
        "{name}: ok, version {}: {} narratives, {} claims, {} official statements",
        kb.version(),
        kb.narratives().len(),
        kb.claim_count(),
        kb.statements().len()
    );
    // The aliases' warnings need them analysed as the matcher analyses posts.
    let matcher = Matcher::new(Arc::new(kb), None)?;
    for warning in matcher
        .kb()
        .warnings()
        .iter()
        .chain(matcher.alias_warnings())
    {
        eprintln!("warning: {name}: {warning}");
    }
    Ok(())
}
