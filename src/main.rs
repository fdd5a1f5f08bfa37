//! The `counterclaim` command line: parse, set up logging, call the library.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use counterclaim::kb::KnowledgeBase;
use counterclaim::matcher::{MatchOptions, MatchOutcome, Matcher, Post};

/// Matching allocates many small, short-lived strings per post; with glibc's allocator malloc
/// and free took 13% of lexical scoring time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "Spots known false election narratives in posts and answers them with official statements."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct KbArgs {
    /// Knowledge base: a directory (native TOML format) or a .jsonl file (flat format).
    #[arg(long, env = "COUNTERCLAIM_KB", default_value = "index")]
    kb: PathBuf,
    /// Keep the search index on disk here (reused while the knowledge base is unchanged)
    /// instead of building it in RAM.
    #[arg(long, env = "COUNTERCLAIM_INDEX_DIR")]
    index_dir: Option<PathBuf>,
    /// The sentence-embedding model (all-MiniLM-L6-v2, fetched by `scripts/fetch_model.sh`).
    /// Matching is hybrid when it loads, lexical otherwise.
    #[arg(
        long,
        env = "COUNTERCLAIM_MODEL",
        default_value = "models/all-MiniLM-L6-v2"
    )]
    model: PathBuf,
    /// Match lexically even if the model is there.
    #[arg(long)]
    lexical: bool,
    /// Where entry embeddings are cached across runs [default: --index-dir if given, else
    /// $XDG_CACHE_HOME/counterclaim or ~/.cache/counterclaim].
    #[arg(long, env = "COUNTERCLAIM_CACHE_DIR")]
    cache_dir: Option<PathBuf>,
}

impl KbArgs {
    fn cache_dir(&self) -> Option<PathBuf> {
        let home_cache = || {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|dir| dir.join("counterclaim"))
        };
        (self.cache_dir.clone())
            .or_else(|| self.index_dir.clone())
            .or_else(home_cache)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the gRPC service.
    Serve {
        #[arg(long, env = "COUNTERCLAIM_ADDR", default_value = "127.0.0.1:50051")]
        addr: SocketAddr,
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Match one post (the TEXT argument, or standard input).
    Match {
        text: Option<String>,
        #[command(flatten)]
        kb: KbArgs,
        /// Print JSON instead of a readable answer.
        #[arg(long)]
        json: bool,
        /// Report narratives scoring at least this (default: the service's threshold).
        #[arg(long)]
        min_score: Option<f32>,
        #[arg(long, default_value_t = 3)]
        max_matches: u32,
    },
    /// Score dumps of posts (JSONL, CSV or TSV; gzip or zstd; `-` for stdin) in parallel,
    /// writing one record per post in input order.
    Score {
        /// Input files; `-` is standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        kb: KbArgs,
        /// Output format.
        #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "csv"])]
        format: String,
        /// Input format when the extension does not tell (default: by extension; stdin is jsonl).
        #[arg(long, value_parser = ["jsonl", "csv", "tsv"])]
        input_format: Option<String>,
        #[arg(long, default_value = "id")]
        id_field: String,
        #[arg(long, default_value = "text")]
        text_field: String,
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
    },
    /// Read the narratives.
    Narratives {
        #[command(subcommand)]
        command: NarrativesCommand,
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Measure quality: ranking on a benchmark (--queries, --qrels) or precision, recall and
    /// stance accuracy on labelled posts (--posts).
    Eval {
        #[command(flatten)]
        kb: KbArgs,
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
        /// A stream of posts in any format `score` reads; every post not in --labels should
        /// match nothing. Prints alarms per 10,000 posts, precision, recall, the reliability of
        /// the scores and every alarm and miss with its evidence.
        #[arg(long, requires = "labels", conflicts_with_all = ["queries", "qrels", "posts"])]
        stream: Option<PathBuf>,
        /// Sparse labels of the stream (JSONL: id, narrative, stance?, also?).
        #[arg(long, requires = "stream")]
        labels: Option<PathBuf>,
        /// The stream's format (default: from its name).
        #[arg(long, value_parser = ["jsonl", "csv", "tsv"])]
        input_format: Option<String>,
        /// The stream's id field or column.
        #[arg(long, default_value = "id")]
        id_field: String,
        /// The stream's text field or column.
        #[arg(long, default_value = "text")]
        text_field: String,
        /// Also write every candidate's score features and label as JSONL (for
        /// scripts/fit_score.py).
        #[arg(long)]
        features: Option<PathBuf>,
    },
    /// Knowledge-base maintenance.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
}

#[derive(Subcommand)]
enum NarrativesCommand {
    /// One line per narrative.
    List,
    /// A narrative with its claims and the statements that rebut it.
    Show { id: String },
    /// Free-text search, e.g. "fake ballots from China".
    Search { query: String },
}

#[derive(Subcommand)]
enum KbCommand {
    /// Convert a fact-check collection into a knowledge base: CheckThat! 2020 TSV, CheckThat!
    /// 2022 JSONL, or schema.org ClaimReview JSON-LD. Bad records are reported with their
    /// position and skipped.
    Import {
        input: PathBuf,
        /// checkthat2020, checkthat2022 or claimreview.
        #[arg(long)]
        format: counterclaim::kb::import::ImportFormat,
        /// Output: flat JSONL (a file) or the native TOML directory (needs official statements,
        /// which ClaimReview provides).
        #[arg(long, default_value = "flat", value_parser = ["flat", "native"])]
        to: String,
        /// Where to write: a .jsonl file (flat) or a new directory (native).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Load and validate a knowledge base; print what it holds.
    Check {
        #[arg(default_value = "index")]
        path: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    // candle runs element-wise operations on a pool of its own, whose workers spin while they
    // wait. The model's batches already run side by side on rayon's threads (see `embed`), and
    // the spinning took 12% of the cycles of hybrid scoring on two cores; without that pool,
    // hybrid `score` ran 10-16% faster with the same output (docs/quality.md).
    // `CANDLE_NUM_THREADS` set by the user still wins.
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: no other thread exists yet to read the environment concurrently.
        unsafe { std::env::set_var("CANDLE_NUM_THREADS", "1") };
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve { addr, kb } => serve(addr, &kb),
        Command::Match {
            text,
            kb,
            json,
            min_score,
            max_matches,
        } => {
            let text = match text {
                Some(t) => t,
                None => {
                    let mut t = String::new();
                    std::io::stdin()
                        .read_to_string(&mut t)
                        .context("reading the post from stdin")?;
                    t
                }
            };
            let matcher = matcher(&kb)?;
            let options = MatchOptions::from_request(max_matches, min_score, true);
            let outcome = matcher.match_post(&Post::new("cli", text), &options)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&outcome)?);
            } else {
                print_outcome(&matcher, &outcome);
            }
            Ok(())
        }
        Command::Narratives { command, kb } => narratives(command, &kb),
        Command::Score {
            inputs,
            output,
            kb,
            format,
            input_format,
            id_field,
            text_field,
            top_k,
            min_score,
            threads,
            errors,
            summary,
            strict,
        } => {
            use counterclaim::batch::{self, ScoreConfig};
            use std::io::IsTerminal;
            let matcher = matcher(&kb)?;
            let config = ScoreConfig {
                output,
                output_format: format.parse().map_err(anyhow::Error::msg)?,
                input_format: input_format
                    .map(|f| f.parse().map_err(anyhow::Error::msg))
                    .transpose()?,
                id_field,
                text_field,
                options: MatchOptions::from_request(top_k, min_score, false),
                threads,
                errors,
                strict,
                progress: std::io::stderr().is_terminal(),
                ..ScoreConfig::new(inputs)
            };
            let result = batch::score(&matcher, &config)?;
            eprintln!("{}", result.to_text());
            if let Some(path) = summary {
                let json = serde_json::to_string_pretty(&result)?;
                std::fs::write(&path, json + "\n")
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Ok(())
        }
        Command::Eval {
            kb,
            queries,
            qrels,
            k,
            run,
            posts,
            features,
            stream,
            labels,
            input_format,
            id_field,
            text_field,
        } => match (posts, queries, qrels) {
            (Some(posts), _, _) => eval_posts(&kb, &posts, features.as_deref()),
            (None, None, None) if stream.is_some() => {
                let fields = counterclaim::batch::Fields {
                    id: id_field,
                    text: text_field,
                };
                let format = input_format
                    .map(|f| f.parse().map_err(anyhow::Error::msg))
                    .transpose()?;
                let (Some(stream), Some(labels)) = (stream, labels) else {
                    bail!("--stream needs --labels");
                };
                eval_stream(&kb, &stream, &labels, format, &fields, features.as_deref())
            }
            (None, Some(queries), Some(qrels)) => eval_ranking(
                &kb,
                &queries,
                &qrels,
                k,
                run.as_deref(),
                features.as_deref(),
            ),
            _ => bail!("give --posts, --stream with --labels, or --queries with --qrels"),
        },
        Command::Kb {
            command:
                KbCommand::Import {
                    input,
                    format,
                    to,
                    output,
                },
        } => import(&input, format, &to, &output),
        Command::Kb {
            command: KbCommand::Check { path },
        } => {
            let kb = load_kb(&path)?;
            println!(
                "{}: ok, version {}: {} narratives, {} claims, {} official statements",
                path.display(),
                kb.version(),
                kb.narratives().len(),
                kb.claim_count(),
                kb.statements().len()
            );
            Ok(())
        }
    }
}

fn load_kb(path: &Path) -> anyhow::Result<KnowledgeBase> {
    Ok(KnowledgeBase::load(path)?)
}

fn matcher(args: &KbArgs) -> anyhow::Result<Matcher> {
    let kb = Arc::new(load_kb(&args.kb)?);
    let mut matcher = Matcher::new(kb, args.index_dir.as_deref())?;
    if !args.lexical {
        let loaded = counterclaim::embed::Embedder::load(&args.model)
            .map_err(|e| e.to_string())
            .and_then(|model| {
                (matcher.use_encoder(Arc::new(model), args.cache_dir().as_deref()))
                    .map_err(|e| e.to_string())
            });
        if let Err(error) = loaded {
            tracing::warn!(
                model = %args.model.display(),
                %error,
                "no sentence-embedding model: matching is lexical only (scripts/fetch_model.sh fetches it)"
            );
        }
    }
    tracing::info!(
        mode = matcher.mode(),
        model = matcher.model_id().unwrap_or("none"),
        "matching mode"
    );
    Ok(matcher)
}

/// Threads per core that may match posts at once in the server (tokio's blocking pool, which
/// would otherwise grow to 512). Matching is CPU-bound, so more would add no speed, and each
/// thread that matches keeps word memos of a few megabytes (`text::WordMemo`).
const MATCHING_THREADS_PER_CORE: usize = 4;

fn serve(addr: SocketAddr, args: &KbArgs) -> anyhow::Result<()> {
    let matcher = Arc::new(matcher(args)?);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MATCHING_THREADS_PER_CORE * cores)
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        tracing::info!(addr = %listener.local_addr()?, kb = matcher.kb().version(), "serving counterclaim.v1");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        };
        counterclaim::grpc::serve(listener, matcher, shutdown).await?;
        Ok(())
    })
}

fn print_outcome(matcher: &Matcher, outcome: &MatchOutcome) {
    if let Some(reason) = outcome.no_match_reason {
        println!("No known narrative: {reason}.");
        return;
    }
    let kb = matcher.kb();
    for m in &outcome.matches {
        println!("{} ({})", m.narrative_title, m.narrative_id);
        println!("  score {:.2}, the post {} it", m.score, m.stance.as_str());
        println!(
            "  closest {} [{}]: {}",
            m.evidence.kind, m.evidence.id, m.evidence.text
        );
        println!("  matched words: {}", m.evidence.matched_words.join(", "));
        if let Some(n) = kb.narrative(&m.narrative_id) {
            println!("  official statements:");
            for s in kb.statements_for(n) {
                println!(
                    "  - {} ({}, {}): \"{}\"",
                    s.speaker, s.role, s.agency, s.quote
                );
            }
        }
        println!();
    }
    println!("knowledge base {}", kb.version());
}

fn narratives(command: NarrativesCommand, args: &KbArgs) -> anyhow::Result<()> {
    match command {
        NarrativesCommand::List => {
            let kb = load_kb(&args.kb)?;
            for n in kb.narratives() {
                println!("{}\t{}", n.id, n.title);
            }
        }
        NarrativesCommand::Show { id } => {
            let kb = load_kb(&args.kb)?;
            let Some(n) = kb.narrative(&id) else {
                bail!("no narrative {id:?} in {}", args.kb.display());
            };
            println!("{}\n{}\n\n{}\n", n.id, n.title, n.summary);
            println!("Documented claims:");
            for c in &n.claims {
                println!(
                    "- {} ({}{}): \"{}\"",
                    c.id,
                    c.claimant,
                    if c.date_note.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", c.date_note)
                    },
                    c.text
                );
            }
            println!("\nOfficial statements:");
            for s in kb.statements_for(n) {
                println!(
                    "- {}, {}, {}: \"{}\"\n  ({}; {} — {})",
                    s.speaker,
                    s.role,
                    s.agency,
                    s.quote,
                    s.published_in,
                    s.provenance.outlet,
                    s.provenance.title
                );
            }
        }
        NarrativesCommand::Search { query } => {
            let matcher = matcher(args)?;
            for hit in matcher.search(&query, 0)? {
                println!(
                    "{:.2}\t{}\t{}",
                    hit.score, hit.narrative_id, hit.narrative_title
                );
            }
        }
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

fn eval_ranking(
    args: &KbArgs,
    queries: &Path,
    qrels: &Path,
    k: usize,
    run: Option<&Path>,
    features: Option<&Path>,
) -> anyhow::Result<()> {
    use counterclaim::eval::ranking;
    let matcher = matcher(args)?;
    let queries = ranking::read_queries(queries).map_err(anyhow::Error::msg)?;
    let file =
        std::fs::File::open(qrels).with_context(|| format!("opening {}", qrels.display()))?;
    let qrels = ranking::read_qrels(std::io::BufReader::new(file), &qrels.display().to_string())
        .map_err(anyhow::Error::msg)?;
    let started = std::time::Instant::now();
    let matches = ranking::rank_matches(&matcher, &queries);
    let rankings = ranking::scored(&matches);
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = run {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        ranking::write_run(&mut out, &queries, &rankings, "counterclaim")?;
    }
    println!(
        "{}",
        ranking::evaluate(&queries, &rankings, &qrels, k).to_text()
    );
    eprintln!("ranked {} queries in {seconds:.2} s", queries.len());
    write_features(features, || {
        ranking::feature_rows(&queries, &matches, &qrels)
    })?;
    Ok(())
}

fn eval_posts(args: &KbArgs, posts: &Path, features: Option<&Path>) -> anyhow::Result<()> {
    use counterclaim::eval::labelled;
    let matcher = matcher(args)?;
    let posts = labelled::read_posts(posts).map_err(anyhow::Error::msg)?;
    let report = labelled::evaluate(&matcher, &posts, &MatchOptions::default());
    write_features(features, || labelled::feature_rows(&matcher, &posts))?;
    print!("{}", report.to_text());
    Ok(())
}

fn eval_stream(
    args: &KbArgs,
    stream: &Path,
    labels: &Path,
    format: Option<counterclaim::batch::InputFormat>,
    fields: &counterclaim::batch::Fields,
    features: Option<&Path>,
) -> anyhow::Result<()> {
    use counterclaim::eval::stream;
    let matcher = matcher(args)?;
    let labels = stream::read_labels(labels).map_err(anyhow::Error::msg)?;
    let report = stream::evaluate(
        &matcher,
        stream,
        format,
        fields,
        &labels,
        counterclaim::matcher::DEFAULT_THRESHOLD,
    )
    .map_err(anyhow::Error::msg)?;
    print!("{}", report.to_text());
    write_features(features, || report.rows.clone())?;
    Ok(())
}

fn import(
    input: &Path,
    format: counterclaim::kb::import::ImportFormat,
    to: &str,
    output: &Path,
) -> anyhow::Result<()> {
    use counterclaim::kb::import;
    let imported = import::import(input, format)?;
    const SHOWN: usize = 20;
    for skipped in imported.skipped.iter().take(SHOWN) {
        eprintln!("{}: {skipped}: skipped", input.display());
    }
    if imported.skipped.len() > SHOWN {
        eprintln!("… and {} more skipped", imported.skipped.len() - SHOWN);
    }
    if to == "native" {
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
