//! Dense (sentence-embedding) similarity between posts and entries: the half of hybrid matching
//! that catches paraphrases sharing few words with any claim.
//!
//! The matcher sees the model only through [`Encoder`], so matching, the cache, the gate and the
//! fusion are tested with a small stand-in; `crate::embed` implements it with
//! all-MiniLM-L6-v2. Entry embeddings are computed when the matcher is built and cached on disk
//! under the knowledge-base version and the model's hash, so a restart reads them back instead
//! of running the model over every claim again.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

/// A sentence-embedding model: texts in, unit-length vectors out.
pub trait Encoder: Send + Sync {
    /// A stable identity of the model (the hash of its weights): cached embeddings are keyed by
    /// it.
    fn id(&self) -> &str;
    /// Changes whenever a change of code changes the numbers the model computes (even in the
    /// sixth decimal): cached entry embeddings are keyed by it too, so they are never compared
    /// with post embeddings from a different computation. Measured: entry embeddings from an
    /// older GELU against posts from a newer one cost 0.009 of CheckThat! dev MAP@5.
    fn revision(&self) -> u32 {
        0
    }
    fn dim(&self) -> usize;
    /// One L2-normalised vector of [`dim`](Encoder::dim) numbers per text, in order.
    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String>;
    /// A cheap reading of a text without running the model (the mean of its tokens' input
    /// vectors), of [`dim`](Encoder::dim) numbers; None for a model without one. A decorator
    /// must pass it on.
    fn token_mean(&self, _text: &str) -> Option<Vec<f32>> {
        None
    }
}

/// The entries' embeddings and the model that made them.
pub struct Dense {
    encoder: Arc<dyn Encoder>,
    /// Entry `i` is `vectors[i * dim .. (i + 1) * dim]`.
    vectors: Vec<f32>,
    dim: usize,
}

/// Version 2: duplicate texts share one embedding (version 1 files are recomputed).
const CACHE_MAGIC: &[u8; 8] = b"CCEMB002";

impl Dense {
    /// Embeds `texts` (one per entry), or reads them from `cache_dir` when an earlier run cached
    /// them for the same knowledge-base version and model. A cache that cannot be written is
    /// logged, not fatal.
    pub fn build(
        encoder: Arc<dyn Encoder>,
        texts: &[&str],
        kb_version: &str,
        cache_dir: Option<&Path>,
    ) -> Result<Self, String> {
        Self::build_from(encoder, texts, kb_version, cache_dir, None)
    }

    /// [`build`](Self::build), taking the embedding of every text `earlier` (the same model's
    /// entries of another knowledge base) already has instead of running the model again: a
    /// knowledge-base update embeds only the texts it adds.
    pub fn build_from(
        encoder: Arc<dyn Encoder>,
        texts: &[&str],
        kb_version: &str,
        cache_dir: Option<&Path>,
        earlier: Option<(&Dense, &[&str])>,
    ) -> Result<Self, String> {
        let dim = encoder.dim();
        let cache =
            cache_dir.map(|dir| cache_file(dir, kb_version, encoder.id(), encoder.revision()));
        if let Some(vectors) = cache
            .as_deref()
            .and_then(|p| read_cache(p, texts.len(), dim))
        {
            tracing::info!(
                entries = texts.len(),
                "entry embeddings read from the cache"
            );
            return Ok(Self {
                encoder,
                vectors,
                dim,
            });
        }
        let started = std::time::Instant::now();
        let (distinct, slot_of) = distinct(texts);
        let known: FxHashMap<&str, &[f32]> = earlier
            .filter(|(dense, _)| dense.dim == dim)
            .map(|(dense, texts)| {
                (texts.iter().enumerate())
                    .map(|(i, &t)| (t, dense.vector(i)))
                    .collect()
            })
            .unwrap_or_default();
        let new: Vec<&str> = (distinct.iter().copied())
            .filter(|t| !known.contains_key(t))
            .collect();
        let mut computed: FxHashMap<&str, Vec<f32>> = FxHashMap::default();
        for batch in new.chunks(256) {
            let vectors = checked_encode(encoder.as_ref(), batch)?;
            computed.extend(batch.iter().copied().zip(vectors));
        }
        let vectors: Vec<f32> = slot_of
            .iter()
            .flat_map(|&s| {
                let text = distinct[s];
                known.get(text).copied().unwrap_or_else(|| &computed[text])
            })
            .copied()
            .collect();
        tracing::info!(
            entries = texts.len(),
            distinct = distinct.len(),
            embedded = new.len(),
            seconds = started.elapsed().as_secs_f32(),
            "entry embeddings computed"
        );
        if let Some(path) = cache
            && let Err(e) = write_cache(&path, &vectors, dim)
        {
            tracing::warn!(path = %path.display(), error = %e, "could not cache embeddings");
        }
        Ok(Self {
            encoder,
            vectors,
            dim,
        })
    }

    /// Wraps the model in `decorate` (see [`crate::matcher::Matcher::decorate_encoder`]).
    pub fn decorate(&mut self, decorate: impl FnOnce(Arc<dyn Encoder>) -> Arc<dyn Encoder>) {
        self.encoder = decorate(self.encoder.clone());
    }

    /// Swaps the model for another with the same dimension (tests make it fail at query time).
    #[cfg(test)]
    pub fn replace_encoder(&mut self, encoder: Arc<dyn Encoder>) {
        self.encoder = encoder;
    }

    /// The model, as it embeds posts (with any decorator).
    pub fn encoder(&self) -> Arc<dyn Encoder> {
        self.encoder.clone()
    }

    pub fn model_id(&self) -> &str {
        self.encoder.id()
    }

    /// Embeds posts (already normalised) in one batch, each distinct text once: a stream repeats
    /// texts (copied posts, retweets), and the model is most of a matched post's time.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let (distinct, slot_of) = distinct(texts);
        let embedded = checked_encode(self.encoder.as_ref(), &distinct)?;
        Ok(slot_of.iter().map(|&s| embedded[s].clone()).collect())
    }

    /// The model's cheap reading of a post (see [`Encoder::token_mean`]).
    pub fn token_mean(&self, text: &str) -> Option<Vec<f32>> {
        self.encoder.token_mean(text)
    }

    fn vector(&self, entry: usize) -> &[f32] {
        &self.vectors[entry * self.dim..(entry + 1) * self.dim]
    }

    /// Cosine similarity of a post's embedding to entry `entry`.
    pub fn similarity(&self, post: &[f32], entry: usize) -> f32 {
        dot(
            &self.vectors[entry * self.dim..(entry + 1) * self.dim],
            post,
        )
    }

    /// The `limit` entries most similar to a post, best first, ties by entry number.
    pub fn nearest(&self, post: &[f32], limit: usize) -> Vec<(u32, f32)> {
        let all = (0..self.vectors.len() / self.dim.max(1))
            .map(|e| (e as u32, self.similarity(post, e)))
            .collect();
        super::bm25::best_first(all, limit)
    }
}

/// The dot product, in eight running sums so that it compiles to SIMD (a plain `sum` must add
/// in order and stays scalar: it was 8% of hybrid matching time against 10,375 claims).
pub(super) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            sums[i] += x[i] * y[i];
        }
    }
    sums.iter().sum::<f32>() + tail
}

/// The distinct texts of `texts`, in order of first appearance, and the index among them of each
/// text. Embedding each distinct text once saves time, and keeps duplicates exactly equal: the
/// same text in two batches could differ in the seventh decimal (it did when batches were
/// padded), enough to decide which of two duplicate claims ranks first.
fn distinct<'t>(texts: &[&'t str]) -> (Vec<&'t str>, Vec<usize>) {
    let mut distinct = Vec::new();
    let mut slots: FxHashMap<&str, usize> = FxHashMap::default();
    let slot_of = texts
        .iter()
        .map(|&t| {
            *slots.entry(t).or_insert_with(|| {
                distinct.push(t);
                distinct.len() - 1
            })
        })
        .collect();
    (distinct, slot_of)
}

/// `encoder`'s embeddings of `texts`, checked to be one per text, each of its dimension.
fn checked_encode(encoder: &dyn Encoder, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
    let vectors = encoder.encode(texts)?;
    if vectors.len() != texts.len() {
        let (got, asked) = (vectors.len(), texts.len());
        return Err(format!(
            "the model returned {got} embeddings for {asked} texts"
        ));
    }
    let dim = encoder.dim();
    match vectors.iter().find(|v| v.len() != dim) {
        Some(v) => Err(format!("the model returned {} numbers, not {dim}", v.len())),
        None => Ok(vectors),
    }
}

/// Where the embeddings of a knowledge-base version by a model are cached.
pub fn cache_file(dir: &Path, kb_version: &str, model_id: &str, revision: u32) -> PathBuf {
    let model: String = model_id.chars().take(16).collect();
    dir.join(format!("embeddings-{kb_version}-{model}-r{revision}.f32"))
}

/// The cached vectors, if the file exists and holds exactly `count` vectors of `dim`.
fn read_cache(path: &Path, count: usize, dim: usize) -> Option<Vec<f32>> {
    let mut bytes = Vec::new();
    fs::File::open(path).ok()?.read_to_end(&mut bytes).ok()?;
    let (header, body) = bytes.split_at_checked(16)?;
    let number = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().unwrap_or([0; 4]));
    if &header[..8] != CACHE_MAGIC
        || number(8) as usize != dim
        || number(12) as usize != count
        || body.len() != count * dim * 4
    {
        tracing::warn!(path = %path.display(), "ignoring an embedding cache that does not fit");
        return None;
    }
    Some(
        body.chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
    )
}

/// Writes the cache through a temporary file, so a crash never leaves half a cache behind.
fn write_cache(path: &Path, vectors: &[f32], dim: usize) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let count = u32::try_from(vectors.len() / dim.max(1)).map_err(io::Error::other)?;
    let dim = u32::try_from(dim).map_err(io::Error::other)?;
    let tmp = path.with_extension("tmp");
    let mut out = io::BufWriter::new(fs::File::create(&tmp)?);
    out.write_all(CACHE_MAGIC)?;
    out.write_all(&dim.to_le_bytes())?;
    out.write_all(&count.to_le_bytes())?;
    for x in vectors {
        out.write_all(&x.to_le_bytes())?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Gives every text it is asked for a new vector, as a batch of another shape can.
    #[derive(Default)]
    struct Drifting {
        seen: Mutex<Vec<String>>,
    }

    impl Encoder for Drifting {
        fn id(&self) -> &str {
            "drifting"
        }
        fn dim(&self) -> usize {
            2
        }
        fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
            let mut seen = self.seen.lock().unwrap();
            Ok(texts
                .iter()
                .map(|t| {
                    seen.push(t.to_string());
                    let angle = seen.len() as f32;
                    vec![angle.cos(), angle.sin()]
                })
                .collect())
        }
    }

    #[test]
    fn duplicate_texts_are_embedded_once_and_share_one_vector() {
        let encoder = Arc::new(Drifting::default());
        let texts = ["a claim", "another claim", "a claim"];
        let dense = Dense::build(encoder.clone(), &texts, "kb-test", None).unwrap();
        assert_eq!(*encoder.seen.lock().unwrap(), ["a claim", "another claim"]);
        let post = [0.6, 0.8];
        assert_eq!(dense.similarity(&post, 0), dense.similarity(&post, 2));
        assert_ne!(dense.similarity(&post, 0), dense.similarity(&post, 1));
    }

    #[test]
    fn a_post_text_given_twice_is_embedded_once() {
        let encoder = Arc::new(Drifting::default());
        let dense = Dense::build(encoder.clone(), &["a claim"], "kb-test", None).unwrap();
        let posts = dense
            .encode(&["copied post", "other post", "copied post"])
            .unwrap();
        let seen = encoder.seen.lock().unwrap();
        assert_eq!(seen[1..], ["copied post", "other post"]);
        assert_eq!(posts.len(), 3);
        assert_eq!(posts[0], posts[2]);
        assert_ne!(posts[0], posts[1]);
    }

    /// Returns one embedding fewer than asked for.
    struct Short;

    impl Encoder for Short {
        fn id(&self) -> &str {
            "short"
        }
        fn dim(&self) -> usize {
            2
        }
        fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
            Ok(vec![vec![1.0, 0.0]; texts.len().saturating_sub(1)])
        }
    }

    #[test]
    fn a_model_that_returns_too_few_embeddings_is_an_error() {
        let error = Dense::build(Arc::new(Short), &["a claim", "another"], "kb-test", None)
            .err()
            .expect("building fails");
        assert!(error.contains("1 embeddings for 2 texts"), "{error}");

        let mut dense = Dense::build(Arc::new(Drifting::default()), &["a"], "kb", None).unwrap();
        dense.replace_encoder(Arc::new(Short));
        let error = dense.encode(&["one post", "another post"]).unwrap_err();
        assert!(error.contains("1 embeddings for 2 texts"), "{error}");
    }

    #[test]
    fn dot_equals_the_plain_sum_at_every_length() {
        for len in 0..40 {
            let a: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..len).map(|i| (i as f32 * 0.11).cos()).collect();
            let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - plain).abs() < 1e-5, "length {len}");
        }
    }
}
