//! The pipeline: a reader thread splits the inputs into chunks of raw records; the calling
//! thread has each chunk parsed and matched in parallel on the run's pool while the results of
//! the chunk before are written, in input order. The channel between them is
//! [`CHANNEL_CHUNKS`] deep, so reading (and decompressing) overlaps scoring while memory stays
//! bounded.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;
use std::time::Instant;

use super::input::{InputFormat, Source};
use super::output::{ErrorLog, Output};
use super::progress::Progress;
use super::reader::RecordReader;
use super::record::{Fields, RawRecord};
use super::summary::{Summary, Tally};
use super::verdict::{RecordVerdict, verdicts};
use super::{BatchError, ScoreConfig};
use crate::Error;
use crate::matcher::{MatchOptions, MatchOutcome, Matcher, Post};

/// Sees each post matched, with its outcome, on the scoring threads (`score --record` records
/// them in the trend store); batch itself knows nothing of where they go.
pub type MatchSink<'a> = &'a (dyn Fn(&Post, &MatchOutcome) + Sync);

/// Most posts in a chunk.
pub const CHUNK_POSTS: usize = 2048;
/// Most posts in a chunk in hybrid mode. A chunk's posts through the gate are embedded
/// together, and in a stream of mostly unrelated posts 2,048 posts hold a handful: too few
/// texts for efficient matrix products on two cores. Four times as many posts made hybrid
/// scoring of the benchmark tweets on the shipped knowledge base 10-15% faster, for 30 MB more.
pub const HYBRID_CHUNK_POSTS: usize = 4 * CHUNK_POSTS;
/// Most bytes of raw records in a chunk (a chunk closes at whichever limit comes first).
pub const CHUNK_BYTES: usize = 16 * 1024 * 1024;
/// Chunks read ahead of the one being scored.
const CHANNEL_CHUNKS: usize = 2;
/// Bad records logged one by one; the rest are counted in one line at the end.
pub const REPORTED_BAD_RECORDS: u64 = 20;

/// Records of a chunk, each with the index of its input.
type Chunk = Vec<(usize, RawRecord)>;

/// Scores every post of `config.inputs` and writes the results; see the [module](super) for
/// what is promised. On error, what was written so far is flushed.
pub fn score(matcher: &Matcher, config: &ScoreConfig) -> Result<Summary, BatchError> {
    score_with(matcher, config, None)
}

/// [`score`], handing every post matched and its outcome to `sink` too.
pub fn score_with(
    matcher: &Matcher,
    config: &ScoreConfig,
    sink: Option<MatchSink>,
) -> Result<Summary, BatchError> {
    let started = Instant::now();
    let sources = config.check()?;
    let fields = Fields {
        id: config.id_field.clone(),
        text: config.text_field.clone(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .thread_name(|i| format!("score-{i}"))
        .build()
        .map_err(|e| BatchError::Config(format!("cannot start the scoring threads: {e}")))?;
    let mut output = Output::create(config.output.as_deref(), config.output_format)?;
    let mut errors = config.errors.as_deref().map(ErrorLog::create).transpose()?;
    let consumed = Arc::new(AtomicU64::new(0));
    let progress = Progress::start(config.progress, sources.iter().map(|s| s.size).sum());

    let (tx, rx) = mpsc::sync_channel(CHANNEL_CHUNKS);
    let chunk_posts = match matcher.model_id() {
        Some(_) => HYBRID_CHUNK_POSTS,
        None => CHUNK_POSTS,
    };
    let reader = {
        let (sources, fields, consumed) = (sources.clone(), fields.clone(), Arc::clone(&consumed));
        thread::Builder::new()
            .name("score-reader".to_owned())
            .spawn(move || read_inputs(&sources, &fields, chunk_posts, &consumed, &tx))
            .map_err(|e| BatchError::io("<reader thread>", e))?
    };
    let mut run = Run {
        matcher,
        options: &config.options,
        strict: config.strict,
        fields: &fields,
        sources: &sources,
        seen: vec![InputSeen::default(); sources.len()],
        output: &mut output,
        errors: errors.as_mut(),
        tally: Tally::default(),
        progress: &progress,
        consumed: &consumed,
        sink,
    };
    // On error the receiver is dropped here, so the reader stops at its next chunk; it is not
    // waited for (it may be blocked on standard input).
    let result = run.consume(&pool, rx);
    let tally = run.tally;
    let flushed = output
        .finish()
        .and_then(|()| errors.as_mut().map_or(Ok(()), ErrorLog::finish));
    progress.finish();
    result?;
    flushed?;
    // The reader ended its channel; if it panicked, its records are missing: say so loudly.
    if let Err(panic) = reader.join() {
        std::panic::resume_unwind(panic);
    }
    let unreported = tally.skipped_count().saturating_sub(REPORTED_BAD_RECORDS);
    if unreported > 0 {
        let see = config
            .errors
            .as_deref()
            .map_or(String::new(), |p| format!("; all are in {}", p.display()));
        tracing::warn!("{unreported} more bad records skipped{see}");
    }
    Ok(tally.finish(started.elapsed()))
}

/// The reader thread: every input in order, in chunks. A fatal error is sent after the records
/// before it, and ends the reading.
fn read_inputs(
    sources: &[Source],
    fields: &Fields,
    chunk_posts: usize,
    consumed: &Arc<AtomicU64>,
    tx: &SyncSender<Result<Chunk, BatchError>>,
) {
    let mut chunk = Chunk::with_capacity(chunk_posts);
    let mut bytes = 0;
    for (index, source) in sources.iter().enumerate() {
        let records = source
            .open(Arc::clone(consumed))
            .and_then(|src| RecordReader::new(src, source.format, &source.name, fields));
        let records = match records {
            Ok(records) => records,
            Err(e) => {
                let _ = send_last(tx, chunk, e);
                return;
            }
        };
        for record in records {
            match record {
                Ok(record) => {
                    bytes += record.size();
                    chunk.push((index, record));
                    if chunk.len() >= chunk_posts || bytes >= CHUNK_BYTES {
                        let full = std::mem::replace(&mut chunk, Chunk::with_capacity(chunk_posts));
                        bytes = 0;
                        if tx.send(Ok(full)).is_err() {
                            return; // the run has stopped
                        }
                    }
                }
                Err(e) => {
                    let _ = send_last(tx, chunk, e);
                    return;
                }
            }
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send(Ok(chunk));
    }
}

fn send_last(
    tx: &SyncSender<Result<Chunk, BatchError>>,
    chunk: Chunk,
    error: BatchError,
) -> Result<(), mpsc::SendError<Result<Chunk, BatchError>>> {
    if !chunk.is_empty() {
        tx.send(Ok(chunk))?;
    }
    tx.send(Err(error))
}

/// What became of one record.
enum Verdict {
    Scored(MatchOutcome),
    Bad {
        message: String,
        record: Option<String>,
    },
    Failed(Error),
}

/// Parses and matches a chunk of records, in parallel on the run's pool. The posts that parse
/// are matched together, so that in hybrid mode the model embeds them in batches of similar
/// length (measured against the 10,375 claims: 110 posts/s, against 78 in groups of 32).
fn score_chunk(
    matcher: &Matcher,
    options: &MatchOptions,
    fields: &Fields,
    keep_record: bool,
    chunk: &[(usize, RawRecord)],
    sink: Option<MatchSink>,
) -> Vec<Verdict> {
    let records: Vec<&RawRecord> = chunk.iter().map(|(_, raw)| raw).collect();
    let verdicts = verdicts(matcher, options, fields, &records, sink);
    (verdicts.into_iter().zip(records))
        .map(|(verdict, raw)| match verdict {
            RecordVerdict::Scored(outcome) => Verdict::Scored(outcome),
            RecordVerdict::Bad(message) => Verdict::Bad {
                message,
                record: if keep_record { raw.text() } else { None },
            },
            RecordVerdict::Failed(e) => Verdict::Failed(e),
        })
        .collect()
}

/// What a run has seen of one input so far.
#[derive(Debug, Clone, Copy, Default)]
struct InputSeen {
    /// A record of it was a post.
    good: bool,
    /// Its bad records have been explained (see [`Run::explain_bad_start`]).
    explained: bool,
}

/// The state of the writing side of a run.
struct Run<'a> {
    matcher: &'a Matcher,
    options: &'a MatchOptions,
    strict: bool,
    fields: &'a Fields,
    sources: &'a [Source],
    seen: Vec<InputSeen>,
    output: &'a mut Output,
    errors: Option<&'a mut ErrorLog>,
    tally: Tally,
    progress: &'a Progress,
    consumed: &'a AtomicU64,
    sink: Option<MatchSink<'a>>,
}

impl Run<'_> {
    /// Scores each chunk while the one before it is written: writing is a small part of a
    /// run, but done between chunks it left the scoring threads idle.
    fn consume(
        &mut self,
        pool: &rayon::ThreadPool,
        rx: Receiver<Result<Chunk, BatchError>>,
    ) -> Result<(), BatchError> {
        let keep_record = self.errors.is_some();
        let (matcher, options, fields, sink) = (self.matcher, self.options, self.fields, self.sink);
        let mut scored: Option<(Chunk, Vec<Verdict>)> = None;
        for chunk in rx {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                // The records read before the error are written first.
                Err(e) => return scored.map_or(Ok(()), |s| self.write_chunk(s)).and(Err(e)),
            };
            let (verdicts, written) = pool.install(|| {
                rayon::join(
                    || score_chunk(matcher, options, fields, keep_record, &chunk, sink),
                    || scored.take().map_or(Ok(()), |s| self.write_chunk(s)),
                )
            });
            written?;
            scored = Some((chunk, verdicts));
        }
        scored.map_or(Ok(()), |s| self.write_chunk(s))
    }

    fn write_chunk(&mut self, (chunk, verdicts): (Chunk, Vec<Verdict>)) -> Result<(), BatchError> {
        self.explain_bad_start(&chunk, &verdicts);
        for ((input, raw), verdict) in chunk.iter().zip(verdicts) {
            self.record(*input, raw.line, verdict)?;
        }
        let bytes = self.consumed.load(Ordering::Relaxed);
        self.progress.update(self.tally.posts_read(), bytes);
        Ok(())
    }

    /// When no record of an input has been a post so far and all of them in this chunk are bad,
    /// and its first line looks like another format, or every record fails for the same
    /// reason, the settings are wrong rather than the records (CSV read as JSONL, another name
    /// for the text field): says what the input looks like and what to change, once per input.
    fn explain_bad_start(&mut self, chunk: &Chunk, verdicts: &[Verdict]) {
        let mut start = 0;
        // A chunk holds its inputs' records one input after another.
        for group in chunk.chunk_by(|a, b| a.0 == b.0) {
            let (input, first) = (group[0].0, &group[0].1);
            let group_verdicts = &verdicts[start..start + group.len()];
            start += group.len();
            let seen = &mut self.seen[input];
            if seen.good || seen.explained {
                continue;
            }
            let reasons: Option<Vec<&str>> = (group_verdicts.iter())
                .map(|verdict| match verdict {
                    Verdict::Bad { message, .. } => message.split(':').next(),
                    _ => None,
                })
                .collect();
            let Some(reasons) = reasons else {
                seen.good = true;
                continue;
            };
            let reason = reasons[0];
            let same = reasons.iter().all(|r| *r == reason);
            let source = &self.sources[input];
            let Some(hint) = settings_hint(source, self.fields, same.then_some(reason), first)
            else {
                continue;
            };
            seen.explained = true;
            self.progress.suspend(|| {
                tracing::warn!(
                    "{}: none of the {} records read is a post: {hint}",
                    source.name,
                    group.len()
                );
            });
        }
    }

    fn record(&mut self, input: usize, line: u64, verdict: Verdict) -> Result<(), BatchError> {
        let name = &self.sources[input].name;
        match verdict {
            Verdict::Scored(outcome) => {
                self.output.write(&outcome)?;
                self.tally.written(&outcome);
            }
            Verdict::Bad { message, record } => {
                self.tally.skipped();
                if let Some(errors) = self.errors.as_mut() {
                    errors.write(name, line, &message, record.as_deref())?;
                }
                if self.strict {
                    return Err(BatchError::BadRecord {
                        input: name.clone(),
                        line,
                        message,
                    });
                }
                if self.tally.skipped_count() <= REPORTED_BAD_RECORDS {
                    self.progress.suspend(|| {
                        tracing::warn!("{name}, line {line}: {message}; skipped");
                    });
                }
            }
            Verdict::Failed(source) => {
                return Err(BatchError::Match {
                    input: name.clone(),
                    line,
                    source,
                });
            }
        }
        Ok(())
    }
}

/// What to change when every record of `source` read so far is bad, judging by its first
/// record and the reason they share (`None`: they fail for different reasons); `None` when the
/// records give no sign that a setting is wrong.
fn settings_hint(
    source: &Source,
    fields: &Fields,
    reason: Option<&str>,
    first: &RawRecord,
) -> Option<String> {
    let line = first.text().unwrap_or_default();
    let line = line.lines().next().unwrap_or_default();
    if let Some(format) = InputFormat::sniff(line)
        && format != source.format
    {
        let mut shown: String = line.chars().take(60).collect();
        if shown.len() < line.len() {
            shown.push('…');
        }
        return Some(format!(
            "line {} ({shown:?}) looks like {}, not {}: give --input-format {format}",
            first.line,
            format.as_str().to_uppercase(),
            source.format.as_str().to_uppercase(),
        ));
    }
    let reason = reason?;
    let missing = |name: &str| reason.starts_with(&format!("no {name:?} "));
    Some(if missing(&fields.text) {
        format!(
            "each has no {:?}: if the text is in a field of another name, give it with \
             --text-field",
            fields.text
        )
    } else if missing(&fields.id) {
        format!(
            "each has no {:?}: if the id is in a field of another name, give it with --id-field",
            fields.id
        )
    } else {
        format!(
            "each is bad for the same reason ({reason}); is the input {}? --input-format sets \
             the format, --id-field and --text-field the fields",
            source.format.as_str().to_uppercase()
        )
    })
}
