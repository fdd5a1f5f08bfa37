//! A minimal BERT encoder (inference only) on top of `candle-nn`.
//!
//! Why not `candle-transformers`' BERT? That crate bundles over 100 model
//! implementations and sits on the critical path of a clean build (it can
//! only start after candle-nn). Measured on the 2-core build machine:
//! rebuilding just candle-transformers 0.11.1 in release took 85 s wall /
//! 129 s CPU on an idle machine, and 207 s inside a contended clean build;
//! it would cost the same again in debug/test builds with opt-level 3. The
//! encoder all-MiniLM-L6-v2 needs is ~150 lines: embeddings, N layers of
//! self-attention + feed-forward with exact (erf) GELU, post-layer-norm.
//! It mirrors Hugging Face `BertModel` and loads the same tensor names.

use candle_core::{D, Module, Result, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder, embedding, layer_norm, linear};
use serde::Deserialize;

/// The subset of a Hugging Face BERT `config.json` the encoder needs.
#[derive(Debug, Clone, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_act() -> String {
    "gelu".to_owned()
}

impl BertConfig {
    /// Rejects configurations this encoder cannot run faithfully.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.hidden_act != "gelu" {
            return Err(format!(
                "unsupported hidden_act {:?} (only \"gelu\")",
                self.hidden_act
            ));
        }
        if self.num_attention_heads == 0
            || !self.hidden_size.is_multiple_of(self.num_attention_heads)
        {
            return Err(format!(
                "hidden_size {} is not divisible by num_attention_heads {}",
                self.hidden_size, self.num_attention_heads
            ));
        }
        Ok(())
    }
}

/// Word + position + token-type embeddings followed by layer norm.
struct Embeddings {
    word: Embedding,
    position: Embedding,
    token_type: Embedding,
    norm: LayerNorm,
}

impl Embeddings {
    fn load(vb: VarBuilder, c: &BertConfig) -> Result<Self> {
        Ok(Self {
            word: embedding(c.vocab_size, c.hidden_size, vb.pp("word_embeddings"))?,
            position: embedding(
                c.max_position_embeddings,
                c.hidden_size,
                vb.pp("position_embeddings"),
            )?,
            token_type: embedding(
                c.type_vocab_size,
                c.hidden_size,
                vb.pp("token_type_embeddings"),
            )?,
            norm: layer_norm(c.hidden_size, c.layer_norm_eps, vb.pp("LayerNorm"))?,
        })
    }

    /// `ids`, `type_ids`, `positions`: `(t)`, every text's tokens one after another.
    fn forward(&self, ids: &Tensor, type_ids: &Tensor, positions: &Tensor) -> Result<Tensor> {
        let x = ((self.word.forward(ids)? + self.token_type.forward(type_ids)?)?
            + self.position.forward(positions)?)?;
        self.norm.forward(&x)
    }
}

/// One transformer block: multi-head self-attention and a GELU feed-forward,
/// each followed by a residual connection and layer norm (post-LN, as in BERT).
struct Layer {
    /// The query, key and value projections as one `(hidden, 3 * hidden)` product: one matrix
    /// product instead of three, which matters most for one short post.
    qkv: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    ffn_in: Linear,
    ffn_out: Linear,
    ffn_norm: LayerNorm,
    heads: usize,
    head_dim: usize,
}

impl Layer {
    fn load(vb: VarBuilder, c: &BertConfig) -> Result<Self> {
        let (h, i) = (c.hidden_size, c.intermediate_size);
        let att = vb.pp("attention");
        Ok(Self {
            qkv: fused_qkv(h, &att.pp("self"))?,
            attn_out: linear(h, h, att.pp("output").pp("dense"))?,
            attn_norm: layer_norm(h, c.layer_norm_eps, att.pp("output").pp("LayerNorm"))?,
            ffn_in: linear(h, i, vb.pp("intermediate").pp("dense"))?,
            ffn_out: linear(i, h, vb.pp("output").pp("dense"))?,
            ffn_norm: layer_norm(h, c.layer_norm_eps, vb.pp("output").pp("LayerNorm"))?,
            heads: c.num_attention_heads,
            head_dim: h / c.num_attention_heads,
        })
    }

    /// `(l, hidden)` -> `(heads, l, head_dim)`, contiguous.
    fn split_heads(&self, x: &Tensor) -> Result<Tensor> {
        let l = x.dim(0)?;
        x.reshape((l, self.heads, self.head_dim))?
            .transpose(0, 1)?
            .contiguous()
    }

    /// `x`: `(t, hidden)`, the tokens of texts of `lengths` tokens one after another. Every
    /// product but attention works on all the tokens at once; attention runs text by text, so
    /// no text is padded and none attends to another.
    fn forward(&self, x: &Tensor, lengths: &[usize]) -> Result<Tensor> {
        let h = x.dim(1)?;
        let qkv = self.qkv.forward(x)?;
        let scale = (self.head_dim as f64).sqrt();
        let mut start = 0;
        let mut contexts = Vec::with_capacity(lengths.len());
        for &len in lengths {
            let text = qkv.narrow(0, start, len)?;
            start += len;
            let q = self.split_heads(&text.narrow(1, 0, h)?)?;
            let k = self.split_heads(&text.narrow(1, h, h)?)?;
            let v = self.split_heads(&text.narrow(1, 2 * h, h)?)?;
            let probs = candle_nn::ops::softmax_last_dim(&(q.matmul(&k.t()?)? / scale)?)?;
            contexts.push(probs.matmul(&v)?.transpose(0, 1)?.reshape((len, h))?);
        }
        let ctx = Tensor::cat(&contexts, 0)?;
        let x = self
            .attn_norm
            .forward(&(self.attn_out.forward(&ctx)? + x)?)?;
        let hidden = self.ffn_in.forward(&x)?;
        super::gelu::gelu_erf_in_place(&hidden)?;
        let ff = self.ffn_out.forward(&hidden)?;
        self.ffn_norm.forward(&(ff + x)?)
    }
}

/// Loads `query`, `key` and `value` (each `(h, h)` with bias) stacked into one linear layer.
fn fused_qkv(h: usize, vb: &VarBuilder) -> Result<Linear> {
    let parts = ["query", "key", "value"];
    let weights = parts
        .iter()
        .map(|p| vb.pp(p).get((h, h), "weight"))
        .collect::<Result<Vec<_>>>()?;
    let biases = parts
        .iter()
        .map(|p| vb.pp(p).get(h, "bias"))
        .collect::<Result<Vec<_>>>()?;
    Ok(Linear::new(
        Tensor::cat(&weights, 0)?,
        Some(Tensor::cat(&biases, 0)?),
    ))
}

/// BERT encoder returning the last hidden state (no pooler head).
pub struct BertModel {
    embeddings: Embeddings,
    layers: Vec<Layer>,
}

impl BertModel {
    /// Loads weights named like Hugging Face `BertModel` (`embeddings.*`,
    /// `encoder.layer.N.*`), with or without a leading `bert.` prefix.
    pub fn load(vb: VarBuilder, c: &BertConfig) -> Result<Self> {
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb
        };
        let embeddings = Embeddings::load(vb.pp("embeddings"), c)?;
        let layers = (0..c.num_hidden_layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), c))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { embeddings, layers })
    }

    /// The input vector of every token of the vocabulary: `(vocab, hidden)`.
    pub fn token_vectors(&self) -> &Tensor {
        self.embeddings.word.embeddings()
    }

    /// `ids`, `type_ids`, `positions`: `(t)` u32, the tokens of texts of `lengths` tokens one
    /// after another (no padding). Returns `(t, hidden)`.
    pub fn forward(
        &self,
        ids: &Tensor,
        type_ids: &Tensor,
        positions: &Tensor,
        lengths: &[usize],
    ) -> Result<Tensor> {
        let mut x = self.embeddings.forward(ids, type_ids, positions)?;
        for layer in &self.layers {
            x = layer.forward(&x, lengths)?;
        }
        Ok(x)
    }
}

/// The mean of each text's rows of `hidden` `(t, h)` (texts of `lengths` rows one after
/// another), L2-normalised (sentence-transformers Pooling(mean) + Normalize): `(texts, h)`.
pub fn mean_pool_normalize(hidden: &Tensor, lengths: &[usize]) -> Result<Tensor> {
    let mut start = 0;
    let mut means = Vec::with_capacity(lengths.len());
    for &len in lengths {
        means.push(hidden.narrow(0, start, len)?.mean_keepdim(0)?);
        start += len;
    }
    let mean = Tensor::cat(&means, 0)?;
    let norm = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.maximum(1e-12)?;
    mean.broadcast_div(&norm)
}
