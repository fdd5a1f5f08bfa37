//! Sentence embeddings with all-MiniLM-L6-v2 on the CPU via candle.
//!
//! [`Embedder::load`] reads `config.json`, `tokenizer.json` and
//! `model.safetensors` from a directory (see `scripts/fetch_model.sh`);
//! [`Embedder::embed`] returns one 384-d, L2-normalised, attention-mask
//! mean-pooled vector per input text, matching sentence-transformers'
//! `all-MiniLM-L6-v2` (max_seq_length 256) to < 1e-4 per component.
//!
//! Threading: matrix multiplications run on rayon's global pool; the number
//! of threads is read from `RAYON_NUM_THREADS` (default: physical cores).
//! `RAYON_NUM_THREADS=1` makes every matmul single-threaded.

mod bert;
mod error;
mod gelu;
#[cfg(test)]
mod tests;

pub use error::EmbedError;
use error::without_backtrace;

use std::fs;
use std::path::Path;

use bert::{BertConfig, BertModel};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tokenizers::utils::padding::{PaddingDirection, PaddingParams, PaddingStrategy, pad_encodings};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

/// Texts are run through the model in batches of at most this many.
pub const BATCH_SIZE: usize = 32;
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
    padding: PaddingParams,
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
        let (tokenizer, padding) = load_tokenizer(&tokenizer_path)?;

        let weights_path = dir.join(WEIGHTS_FILE);
        let weights = read(&weights_path)?;
        let model_hash = format!("{:x}", Sha256::digest(&weights));
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| EmbedError::invalid(&weights_path, without_backtrace(e)))?;
        let model = BertModel::load(vb, &config)
            .map_err(|e| EmbedError::invalid(&weights_path, without_backtrace(e)))?;

        Ok(Embedder {
            model,
            tokenizer,
            padding,
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
    /// Internally texts are sorted by token count and run in batches of at most
    /// [`BATCH_SIZE`] (see [`batch_sizes`]), each padded only to its own longest text; padding is
    /// masked out, so results do not depend on how inputs are grouped (up to
    /// float rounding, measured < 1e-6).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(EmbedError::Tokenizer)?;

        // Longest first, so each batch holds texts of similar length.
        let mut order: Vec<(usize, Encoding)> = encodings.into_iter().enumerate().collect();
        order.sort_by_key(|(_, e)| std::cmp::Reverse(e.len()));

        let lengths: Vec<usize> = order.iter().map(|(_, e)| e.len()).collect();
        tracing::debug!(
            texts = texts.len(),
            tokens = lengths.iter().sum::<usize>(),
            "embedding"
        );
        let mut pending = order.into_iter();
        let batches: Vec<(Vec<usize>, Vec<Encoding>)> = batch_sizes(&lengths)
            .into_iter()
            .map(|size| pending.by_ref().take(size).unzip())
            .collect();
        // Batches run side by side: with short texts, two batches on two cores beat one
        // batch whose matrix products are split between them.
        let embedded = batches
            .into_par_iter()
            .map(|(idx, mut batch)| {
                pad_encodings(&mut batch, &self.padding).map_err(EmbedError::Tokenizer)?;
                Ok(idx.into_iter().zip(self.embed_batch(&batch)?))
            })
            .collect::<Result<Vec<_>, EmbedError>>()?;
        let mut out = vec![Vec::new(); texts.len()];
        for (i, row) in embedded.into_iter().flatten() {
            out[i] = row;
        }
        Ok(out)
    }

    /// Runs one padded batch (all encodings the same length) through the model.
    fn embed_batch(&self, batch: &[Encoding]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let (b, l) = (batch.len(), batch[0].len());
        let mut ids = Vec::with_capacity(b * l);
        let mut type_ids = Vec::with_capacity(b * l);
        let mut mask = Vec::with_capacity(b * l);
        for e in batch {
            ids.extend_from_slice(e.get_ids());
            type_ids.extend_from_slice(e.get_type_ids());
            mask.extend(e.get_attention_mask().iter().map(|&m| m as f32));
        }
        let ids = Tensor::from_vec(ids, (b, l), &self.device)?;
        let type_ids = Tensor::from_vec(type_ids, (b, l), &self.device)?;
        let mask = Tensor::from_vec(mask, (b, l), &self.device)?;
        let hidden = self.model.forward(&ids, &type_ids, &mask)?;
        Ok(bert::mean_pool_normalize(&hidden, &mask)?.to_vec2::<f32>()?)
    }
}

/// Cuts texts sorted longest first (`lengths`, in tokens) into batches: at most [`BATCH_SIZE`]
/// texts, and padding at most a quarter of the real tokens (every text is padded to the batch's
/// first, longest one). One long text among short ones would otherwise make the model work on
/// padding: on the test posts (10 to 70 tokens) one batch of 32 embedded 54 posts/s, fewer than
/// one post at a time (74/s).
fn batch_sizes(lengths: &[usize]) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut rest = lengths;
    while let Some(&longest) = rest.first() {
        let mut real = longest;
        let mut size = 1;
        while let Some(&next) = rest.get(size) {
            if size == BATCH_SIZE || (size + 1) * longest * 4 > (real + next) * 5 {
                break;
            }
            real += next;
            size += 1;
        }
        sizes.push(size);
        rest = &rest[size..];
    }
    sizes
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

/// Loads `tokenizer.json`, replacing its fixed 128-token padding and
/// truncation with no padding and truncation at [`MAX_TOKENS`]. Also returns
/// the padding to apply per batch: to the batch's longest text
/// (`BatchLongest`), with the pad token the file declares (BERT: `[PAD]` = 0).
fn load_tokenizer(path: &Path) -> Result<(Tokenizer, PaddingParams), EmbedError> {
    let mut tokenizer =
        Tokenizer::from_bytes(read(path)?).map_err(|e| EmbedError::invalid(path, e))?;
    let padding = PaddingParams {
        strategy: PaddingStrategy::BatchLongest,
        direction: PaddingDirection::Right,
        pad_to_multiple_of: None,
        ..tokenizer.get_padding().cloned().unwrap_or_default()
    };
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS,
            ..TruncationParams::default()
        }))
        .map_err(|e| EmbedError::invalid(path, e))?;
    Ok((tokenizer, padding))
}

impl crate::matcher::Encoder for Embedder {
    fn id(&self) -> &str {
        self.model_hash()
    }

    /// 1: candle's GELU; 2: our vectorised erf GELU (`gelu.rs`); 3: fused query, key and
    /// value products (a different summation order).
    fn revision(&self) -> u32 {
        3
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        self.embed(texts).map_err(|e| e.to_string())
    }
}
