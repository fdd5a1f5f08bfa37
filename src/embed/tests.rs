//! Tests for the embedder. The reference comparison needs the real model
//! (`scripts/fetch_model.sh`) and is skipped, with a message, when it is absent.

use super::{BATCH_TOKENS, EmbedError, Embedder, batches};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Largest allowed per-component difference from sentence-transformers.
const TOLERANCE: f32 = 1e-4;

#[derive(Deserialize)]
struct Reference {
    model_sha256: String,
    items: Vec<RefItem>,
}

#[derive(Deserialize)]
struct RefItem {
    text: String,
    embedding: Vec<f32>,
}

/// `COUNTERCLAIM_MODEL`, else where the binary looks by default (tests run in the crate root, so
/// a checkout's `models/` comes first, then the user's data directory).
fn model_dir() -> PathBuf {
    std::env::var_os("COUNTERCLAIM_MODEL")
        .map(PathBuf::from)
        .or_else(super::find_default_model)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2"))
}

fn load_model_or_skip(test: &str) -> Option<Embedder> {
    let dir = model_dir();
    if !dir.join("model.safetensors").exists() {
        assert!(
            std::env::var_os("COUNTERCLAIM_REQUIRE_MODEL").is_none(),
            "{test}: no model in {} and COUNTERCLAIM_REQUIRE_MODEL is set",
            dir.display()
        );
        eprintln!(
            "SKIPPED {test}: no model in {} (run scripts/fetch_model.sh)",
            dir.display()
        );
        return None;
    }
    Some(Embedder::load(&dir).expect("model present but failed to load"))
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dimension mismatch");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn matches_sentence_transformers_single_and_batched() {
    let Some(embedder) = load_model_or_skip("matches_sentence_transformers") else {
        return;
    };
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/embeddings_reference.json");
    let reference: Reference = serde_json::from_slice(&std::fs::read(&path).expect("read fixture"))
        .expect("parse fixture");
    assert_eq!(embedder.model_hash(), reference.model_sha256);
    assert_eq!(embedder.dim(), 384);

    let texts: Vec<&str> = reference.items.iter().map(|i| i.text.as_str()).collect();
    let batched = embedder.embed(&texts).expect("batched embed");
    assert_eq!(batched.len(), texts.len());

    let mut worst = 0.0f32;
    for (item, got_batched) in reference.items.iter().zip(&batched) {
        let single = embedder.embed(&[item.text.as_str()]).expect("single embed");
        let d_single = max_abs_diff(&single[0], &item.embedding);
        let d_batched = max_abs_diff(got_batched, &item.embedding);
        let norm: f32 = got_batched.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "not unit length: {norm}");
        assert!(
            d_single < TOLERANCE && d_batched < TOLERANCE,
            "{:?}: single diff {d_single}, batched diff {d_batched}",
            item.text
        );
        worst = worst.max(d_single).max(d_batched);
    }
    eprintln!(
        "max abs diff vs sentence-transformers over {} texts: {worst:e}",
        texts.len()
    );
}

#[test]
fn many_texts_keep_input_order() {
    let Some(embedder) = load_model_or_skip("many_texts_keep_input_order") else {
        return;
    };
    // More than one batch (batches are cut by tokens), lengths interleaved.
    let texts: Vec<String> = (0..70)
        .map(|i| format!("post {i} {}", "the election was stolen ".repeat(i % 7)))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let all = embedder.embed(&refs).expect("embed");
    for i in [0, 5, 33, 69] {
        let one = embedder.embed(&[refs[i]]).expect("embed one");
        assert!(
            max_abs_diff(&all[i], &one[0]) < TOLERANCE,
            "text {i} out of order"
        );
    }
    assert!(embedder.embed(&[]).expect("empty").is_empty());
}

/// The token mean is the mean of the tokens' input vectors: a text and the same words twice
/// read alike, the mean of two one-token texts is the mean of their vectors, and a text without
/// tokens reads as zeros.
#[test]
fn the_token_mean_averages_the_tokens_input_vectors() {
    let Some(embedder) = load_model_or_skip("the_token_mean_averages_the_tokens_input_vectors")
    else {
        return;
    };
    let mean = |t: &str| embedder.token_mean(t).expect("token mean");
    let (ballots, vote) = (mean("ballots"), mean("vote"));
    assert_eq!(ballots.len(), embedder.dim());
    assert!(max_abs_diff(&mean("ballots ballots"), &ballots) < 1e-6);
    let halfway: Vec<f32> = ballots
        .iter()
        .zip(&vote)
        .map(|(a, b)| (a + b) / 2.0)
        .collect();
    assert!(max_abs_diff(&mean("ballots vote"), &halfway) < 1e-6);
    assert!(max_abs_diff(&ballots, &vote) > 0.01);
    assert!(mean("").iter().all(|&x| x == 0.0));
}

/// Writes a model dir holding `config.json`, `tokenizer.json` and
/// `model.safetensors` with the given contents.
fn fake_model_dir(config: &[u8], weights: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config.json"), config).unwrap();
    let tok = model_dir().join("tokenizer.json");
    let tok = std::fs::read(&tok).unwrap_or_else(|_| MINIMAL_TOKENIZER.as_bytes().to_vec());
    std::fs::write(dir.path().join("tokenizer.json"), tok).unwrap();
    std::fs::write(dir.path().join("model.safetensors"), weights).unwrap();
    dir
}

/// A safetensors file: its JSON header's length, the header, then `data_bytes` zero bytes.
fn safetensors(header: &[u8], data_bytes: usize) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header);
    bytes.resize(bytes.len() + data_bytes, 0);
    bytes
}

const GOOD_CONFIG: &str = r#"{"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
  "num_attention_heads": 12, "intermediate_size": 1536, "max_position_embeddings": 512,
  "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}"#;

/// A tiny valid WordPiece tokenizer, used when the real model is absent.
const MINIMAL_TOKENIZER: &str = r###"{"version": "1.0", "truncation": null, "padding": null,
  "added_tokens": [], "normalizer": {"type": "BertNormalizer", "clean_text": true,
  "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
  "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": null, "decoder": null,
  "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
  "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "[PAD]": 1, "hello": 2}}}"###;

fn invalid_file_of(err: EmbedError) -> (PathBuf, String) {
    let msg = err.to_string();
    match err {
        EmbedError::InvalidFile { path, .. } => (path, msg),
        other => panic!("expected InvalidFile, got {other:?}"),
    }
}

#[test]
fn missing_dir_names_the_missing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    match Embedder::load(&missing) {
        Err(EmbedError::MissingFile { path }) => assert_eq!(path, missing.join("config.json")),
        Err(other) => panic!("expected MissingFile, got {other:?}"),
        Ok(_) => panic!("loaded from a missing dir"),
    }
}

#[test]
fn missing_weights_file_is_named() {
    let dir = fake_model_dir(GOOD_CONFIG.as_bytes(), b"");
    std::fs::remove_file(dir.path().join("model.safetensors")).unwrap();
    let err = Embedder::load(dir.path()).err().expect("should fail");
    assert!(err.to_string().contains("model.safetensors"), "{err}");
    assert!(matches!(err, EmbedError::MissingFile { .. }), "{err:?}");
}

#[test]
fn garbage_weights_is_invalid_file() {
    let dir = fake_model_dir(
        GOOD_CONFIG.as_bytes(),
        b"this is not a safetensors file at all",
    );
    let (path, msg) = invalid_file_of(Embedder::load(dir.path()).err().expect("should fail"));
    assert_eq!(path, dir.path().join("model.safetensors"));
    assert!(msg.contains("model.safetensors"), "{msg}");
}

#[test]
fn truncated_weights_is_invalid_file() {
    // A real safetensors prefix when the model is present, else a plausible header.
    let real = model_dir().join("model.safetensors");
    let bytes = std::fs::read(&real).map(|b| b[..b.len() / 3].to_vec()).unwrap_or_else(|_| {
        safetensors(
            br#"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[30522,384],"data_offsets":[0,46881792]}}"#,
            1000,
        )
    });
    let dir = fake_model_dir(GOOD_CONFIG.as_bytes(), &bytes);
    let (path, msg) = invalid_file_of(Embedder::load(dir.path()).err().expect("should fail"));
    assert_eq!(path, dir.path().join("model.safetensors"), "{msg}");
}

#[test]
fn wrong_tensor_shapes_is_invalid_file() {
    // Valid safetensors, but hidden_size in config disagrees with the weights.
    let bytes = safetensors(
        br#"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#,
        16,
    );
    let dir = fake_model_dir(GOOD_CONFIG.as_bytes(), &bytes);
    let (_, msg) = invalid_file_of(Embedder::load(dir.path()).err().expect("should fail"));
    assert!(msg.contains("shape"), "{msg}");
}

#[test]
fn bad_config_json_is_invalid_file() {
    for config in [&b"{ not json"[..], b"{\"hidden_size\": 384}", b""] {
        let dir = fake_model_dir(config, b"irrelevant");
        let (path, msg) = invalid_file_of(Embedder::load(dir.path()).err().expect("should fail"));
        assert_eq!(path, dir.path().join("config.json"), "{msg}");
    }
    let bad_heads =
        GOOD_CONFIG.replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 7");
    let dir = fake_model_dir(bad_heads.as_bytes(), b"irrelevant");
    let (_, msg) = invalid_file_of(Embedder::load(dir.path()).err().expect("should fail"));
    assert!(msg.contains("divisible"), "{msg}");
}

#[test]
fn bad_tokenizer_json_is_invalid_file() {
    let dir = fake_model_dir(GOOD_CONFIG.as_bytes(), b"irrelevant");
    std::fs::write(dir.path().join("tokenizer.json"), b"{\"model\": 42}").unwrap();
    let (path, msg) = invalid_file_of(Embedder::load(dir.path()).err().expect("should fail"));
    assert_eq!(path, dir.path().join("tokenizer.json"), "{msg}");
}

#[test]
fn batches_share_the_tokens_between_threads_and_cover_every_text() {
    // Two threads: two batches of about half the tokens each.
    assert_eq!(batches(&[20, 20, 20, 20], 2), vec![0..2, 2..4]);
    assert_eq!(batches(&[70, 20, 20, 20], 2), vec![0..1, 1..4]);
    // One text, or one thread: one batch.
    assert_eq!(batches(&[40], 2), vec![0..1]);
    assert_eq!(batches(&[20, 30, 40], 1), vec![0..3]);
    // No batch holds more than BATCH_TOKENS tokens, unless it is one longer text.
    assert_eq!(
        batches(&[BATCH_TOKENS, 1, BATCH_TOKENS + 5, 3], 1),
        vec![0..1, 1..2, 2..3, 3..4]
    );
    assert_eq!(batches(&[], 2), Vec::<std::ops::Range<usize>>::new());
    // Every text is in exactly one batch, in order, whatever the lengths.
    let lengths: Vec<usize> = (1..=2000).map(|i| i % 97 + 3).collect();
    let cut = batches(&lengths, 2);
    assert_eq!(cut.first().unwrap().start, 0);
    assert_eq!(cut.last().unwrap().end, lengths.len());
    assert!(cut.windows(2).all(|w| w[0].end == w[1].start));
    assert!(cut.iter().all(|r| {
        let tokens: usize = lengths[r.clone()].iter().sum();
        !r.is_empty() && (tokens <= BATCH_TOKENS || r.len() == 1)
    }));
}

#[test]
fn plain_text_tokens_are_the_tokenizers_own() {
    let Some(model) = load_model_or_skip("plain_text_tokens_are_the_tokenizers_own") else {
        return;
    };
    let wordpiece = model
        .wordpiece
        .as_ref()
        .expect("the model's tokenizer is WordPiece");
    let texts = [
        "beijing is going to run off bogus ballots by the truckload and mail them in",
        "don't trust the 3am vote dumps, 58,000 ballots at 3.5 per cent!!",
        "unsolicitated ballots pandemoniumm millyuns xqzjvkw $100 a+b <3 ~~ `quoted` [x] {y}",
        "a\twordthatislongerthanonehundredcharacters-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa end",
        "",
        "   ",
    ];
    for text in texts {
        let mut ids = Vec::new();
        assert!(wordpiece.ids(text, &mut ids), "{text:?} is plain");
        let expected = model.tokenizer.encode_fast(text, false).unwrap();
        assert_eq!(ids, expected.get_ids(), "{text:?}");
    }
    for text in ["Capital letters", "el voto por correo amañado", "caf\u{e9}"] {
        let mut ids = Vec::new();
        assert!(!wordpiece.ids(text, &mut ids), "{text:?} is not plain");
        assert!(ids.is_empty());
    }
}
