//! Sentence embeddings with all-MiniLM-L6-v2 on the CPU via candle.
//!
//! [`Embedder::load`] reads `config.json`, `tokenizer.json` and
//! `model.safetensors` from a directory (see `scripts/fetch_model.sh`, and [`find_default_model`]
//! for where it is looked for when none is given);
//! [`Embedder::embed`] returns one 384-d, L2-normalised, attention-mask
//! mean-pooled vector per input text, matching sentence-transformers'
//! `all-MiniLM-L6-v2` (max_seq_length 256) to < 1e-4 per component.
//!
//! Threading: matrix multiplications run on rayon's global pool; the number
//! of threads is read from `RAYON_NUM_THREADS` (default: physical cores).
//! `RAYON_NUM_THREADS=1` makes every matmul single-threaded. Element-wise
//! operations run on candle's own pool of `CANDLE_NUM_THREADS` threads, which
//! the `counterclaim` binary sets to 1 (see `main`).

mod bert;
mod error;
mod gelu;
mod location;
#[cfg(test)]
mod tests;
mod wordpiece;

pub use error::EmbedError;
use error::without_backtrace;
pub use location::{
    MODEL_NAME, default_cache_dir, default_data_dir, default_model_dirs, find_default_model,
};

use std::fs;
use std::path::Path;

use bert::{BertConfig, BertModel};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

/// Texts are run through the model in batches of at most this many tokens (or one longer text).
pub const BATCH_TOKENS: usize = 2048;
/// Token limit per text, special tokens included (sentence-transformers' max_seq_length).
pub const MAX_TOKENS: usize = 256;

const CONFIG_FILE: &str = "config.json";
const TOKENIZER_FILE: &str = "tokenizer.json";
const WEIGHTS_FILE: &str = "model.safetensors";

/// A loaded sentence-embedding model. Cheap to share behind an `Arc`;
/// [`Embedder::embed`] takes `&self`.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    /// The tokenizer's model, for [`token_mean`](Self::token_mean)'s plain texts.
    wordpiece: Option<wordpiece::WordPiece>,
    dim: usize,
    model_hash: String,
    device: Device,
}

impl Embedder {
    /// Loads the model from `dir`, which must hold `config.json`,
    /// `tokenizer.json` and `model.safetensors`.
    ///
    /// Never panics on bad input files: each problem is returned as an
    /// [`EmbedError`] naming the file.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        let device = Device::Cpu;

        let config_path = dir.join(CONFIG_FILE);
        let config: BertConfig = serde_json::from_slice(&read(&config_path)?)
            .map_err(|e| EmbedError::invalid(&config_path, e))?;
        config
            .validate()
            .map_err(|e| EmbedError::invalid(&config_path, e))?;

        let tokenizer_path = dir.join(TOKENIZER_FILE);
        let tokenizer = load_tokenizer(&tokenizer_path)?;

        let weights_path = dir.join(WEIGHTS_FILE);
        let weights = read(&weights_path)?;
        let model_hash = format!("{:x}", Sha256::digest(&weights));
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| EmbedError::invalid(&weights_path, without_backtrace(e)))?;
        let model = BertModel::load(vb, &config)
            .map_err(|e| EmbedError::invalid(&weights_path, without_backtrace(e)))?;

        Ok(Embedder {
            model,
            wordpiece: wordpiece::WordPiece::of(&tokenizer),
            tokenizer,
            dim: config.hidden_size,
            model_hash,
            device,
        })
    }

    /// Embedding width (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Lower-case hex SHA-256 of the `model.safetensors` that was loaded.
    pub fn model_hash(&self) -> &str {
        &self.model_hash
    }

    /// Embeds `texts`, returning one unit-length vector of [`dim`](Self::dim)
    /// floats per text, in input order. Texts longer than [`MAX_TOKENS`]
    /// tokens are truncated. An empty slice gives an empty result.
    ///
    /// Texts are never padded: each batch (see [`batches`]) runs the tokens of its texts one
    /// after another through the model, attention text by text, so results do not depend on
    /// how inputs are grouped (up to float rounding, measured < 1e-6).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(EmbedError::Tokenizer)?;
        let lengths: Vec<usize> = encodings.iter().map(Encoding::len).collect();
        tracing::debug!(
            texts = texts.len(),
            tokens = lengths.iter().sum::<usize>(),
            "embedding"
        );
        // Batches run side by side: with short texts, two batches on two cores beat one
        // batch whose matrix products are split between them.
        let embedded = batches(&lengths, rayon::current_num_threads())
            .into_par_iter()
            .map(|texts| self.embed_batch(&encodings[texts]))
            .collect::<Result<Vec<_>, EmbedError>>()?;
        Ok(embedded.into_iter().flatten().collect())
    }

    /// The model's static reading of `text`, without running it: the mean of its tokens' input
    /// vectors (special tokens left out), or zeros for a text without tokens. Microseconds where
    /// [`embed`](Self::embed) takes milliseconds; the probe's first stage reads it.
    pub fn token_mean(&self, text: &str) -> Result<Vec<f32>, EmbedError> {
        // Tokens without the tokenizer's pipeline where they can be (`wordpiece.rs`), summed
        // straight from the vectors' memory: the pipeline and a tensor per post cost more than
        // the rest of the post's matching.
        let mut plain = Vec::new();
        let encoding;
        let ids = match &self.wordpiece {
            Some(wordpiece) if wordpiece.ids(text, &mut plain) => {
                plain.truncate(MAX_TOKENS);
                &plain[..]
            }
            _ => {
                encoding = self
                    .tokenizer
                    .encode_fast(text, false)
                    .map_err(EmbedError::Tokenizer)?;
                encoding.get_ids()
            }
        };
        let mut mean = vec![0.0; self.dim];
        if ids.is_empty() {
            return Ok(mean);
        }
        // The model is loaded on the CPU from safetensors: one contiguous table.
        let (storage, layout) = self.model.token_vectors().storage_and_layout();
        let (candle_core::Storage::Cpu(cpu), true) = (&*storage, layout.is_contiguous()) else {
            return Err(candle_core::Error::Msg("token vectors off the CPU".into()).into());
        };
        let table = &cpu.as_slice::<f32>()?[layout.start_offset()..];
        for &id in ids {
            let start = id as usize * self.dim;
            let row = table.get(start..start + self.dim).ok_or_else(|| {
                candle_core::Error::Msg(format!("token {id} beyond the vocabulary"))
            })?;
            mean.iter_mut().zip(row).for_each(|(m, x)| *m += x);
        }
        let n = ids.len() as f32;
        mean.iter_mut().for_each(|m| *m /= n);
        Ok(mean)
    }

    /// Runs the texts of one batch through the model, their tokens one after another.
    fn embed_batch(&self, batch: &[Encoding]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let lengths: Vec<usize> = batch.iter().map(Encoding::len).filter(|&l| l > 0).collect();
        let mut vectors = match lengths.is_empty() {
            true => Vec::new(),
            false => self.run_packed(batch, &lengths)?,
        }
        .into_iter();
        // A text without tokens (a tokenizer that adds no special tokens) embeds as zeros.
        Ok(batch
            .iter()
            .map(|e| match e.len() {
                0 => vec![0.0; self.dim],
                _ => vectors.next().unwrap_or_default(),
            })
            .collect())
    }

    /// The model's pooled output for the texts of `batch` with tokens, whose counts are
    /// `lengths`.
    fn run_packed(
        &self,
        batch: &[Encoding],
        lengths: &[usize],
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut ids = Vec::new();
        let mut type_ids = Vec::new();
        let mut positions = Vec::new();
        for e in batch {
            ids.extend_from_slice(e.get_ids());
            type_ids.extend_from_slice(e.get_type_ids());
            positions.extend(0..e.len() as u32);
        }
        let t = ids.len();
        let tensor = |v: Vec<u32>| Tensor::from_vec(v, t, &self.device);
        let hidden = self.model.forward(
            &tensor(ids)?,
            &tensor(type_ids)?,
            &tensor(positions)?,
            lengths,
        )?;
        Ok(bert::mean_pool_normalize(&hidden, lengths)?.to_vec2::<f32>()?)
    }
}

/// Cuts texts of `lengths` tokens, in order, into consecutive batches to run side by side on
/// `threads` threads: about the same number of tokens each, at most [`BATCH_TOKENS`] (a text
/// longer than that is a batch of its own).
fn batches(lengths: &[usize], threads: usize) -> Vec<std::ops::Range<usize>> {
    let total: usize = lengths.iter().sum();
    let per_batch = total.div_ceil(threads.max(1)).clamp(1, BATCH_TOKENS);
    let mut out = Vec::new();
    let (mut start, mut tokens) = (0, 0);
    for (i, &len) in lengths.iter().enumerate() {
        if i > start && tokens + len > per_batch {
            out.push(start..i);
            (start, tokens) = (i, 0);
        }
        tokens += len;
    }
    if start < lengths.len() {
        out.push(start..lengths.len());
    }
    out
}

/// Reads a whole file, mapping "not found" to [`EmbedError::MissingFile`].
fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => EmbedError::MissingFile {
            path: path.to_owned(),
        },
        _ => EmbedError::Io {
            path: path.to_owned(),
            source,
        },
    })
}

/// Loads `tokenizer.json`, replacing its fixed 128-token padding and truncation with no
/// padding (batches are never padded, see [`Embedder::embed`]) and truncation at
/// [`MAX_TOKENS`].
fn load_tokenizer(path: &Path) -> Result<Tokenizer, EmbedError> {
    let mut tokenizer =
        Tokenizer::from_bytes(read(path)?).map_err(|e| EmbedError::invalid(path, e))?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS,
            ..TruncationParams::default()
        }))
        .map_err(|e| EmbedError::invalid(path, e))?;
    Ok(tokenizer)
}

impl crate::matcher::Encoder for Embedder {
    fn id(&self) -> &str {
        self.model_hash()
    }

    /// 1: candle's GELU; 2: our vectorised erf GELU (`gelu.rs`); 3: fused query, key and
    /// value products (a different summation order); 4: texts packed without padding.
    fn revision(&self) -> u32 {
        4
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        self.embed(texts).map_err(|e| e.to_string())
    }

    fn token_mean(&self, text: &str) -> Option<Vec<f32>> {
        Embedder::token_mean(self, text).ok()
    }
}
