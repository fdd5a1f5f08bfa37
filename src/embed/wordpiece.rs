//! The model's WordPiece tokens of a plain lower-case ASCII text, without the tokenizer's
//! pipeline.
//!
//! The probe's first stage reads the token mean of every English post, and the tokenizer's
//! pipeline (normaliser, Unicode pre-tokeniser, offsets, a `String` per token) cost more than the
//! rest of the post's matching. A normalised post is nearly always lower-case ASCII, and there
//! BERT's normaliser changes nothing and its pre-tokeniser only splits on whitespace and
//! punctuation. So for such text this does the same greedy longest-match-first WordPiece with no
//! allocation per token; anything else goes through the tokenizer. The tokenizer's own ids are
//! the reference (`tests.rs`).

use rustc_hash::FxHashMap;
use tokenizers::{ModelWrapper, Tokenizer};

pub struct WordPiece {
    /// Pieces that start a word.
    starts: FxHashMap<Box<str>, u32>,
    /// Pieces that continue one, without their prefix (`##`).
    continues: FxHashMap<Box<str>, u32>,
    unknown: u32,
    max_word_chars: usize,
}

impl WordPiece {
    /// The tokenizer's WordPiece model, if that is its model and it knows its unknown token.
    pub fn of(tokenizer: &Tokenizer) -> Option<WordPiece> {
        let ModelWrapper::WordPiece(model) = tokenizer.get_model() else {
            return None;
        };
        let prefix = model.continuing_subword_prefix.as_str();
        let (mut starts, mut continues) = (FxHashMap::default(), FxHashMap::default());
        for (piece, id) in tokenizer.get_vocab(false) {
            match piece.strip_prefix(prefix).filter(|_| !prefix.is_empty()) {
                Some(rest) => continues.insert(rest.into(), id),
                None => starts.insert(piece.into_boxed_str(), id),
            };
        }
        Some(WordPiece {
            unknown: tokenizer.token_to_id(&model.unk_token)?,
            starts,
            continues,
            max_word_chars: model.max_input_chars_per_word,
        })
    }

    /// Appends the ids of `text`'s tokens to `ids`; false (and nothing appended) when the text
    /// is not lower-case ASCII, which only the tokenizer's pipeline handles.
    pub fn ids(&self, text: &str, ids: &mut Vec<u32>) -> bool {
        let plain = |b: u8| {
            b.is_ascii()
                && !b.is_ascii_uppercase()
                && (!b.is_ascii_control() || b.is_ascii_whitespace())
        };
        if !text.bytes().all(plain) {
            return false;
        }
        for word in text.split_ascii_whitespace() {
            for piece in word.split_inclusive(|c: char| c.is_ascii_punctuation()) {
                match piece.char_indices().last() {
                    Some((i, c)) if c.is_ascii_punctuation() => {
                        self.word(&piece[..i], ids);
                        self.word(&piece[i..], ids);
                    }
                    _ => self.word(piece, ids),
                }
            }
        }
        true
    }

    /// One word, greedily longest piece first; a word that cannot be split is one unknown token.
    fn word(&self, word: &str, ids: &mut Vec<u32>) {
        if word.is_empty() {
            return;
        }
        if word.len() > self.max_word_chars {
            ids.push(self.unknown);
            return;
        }
        let before = ids.len();
        let mut start = 0;
        while start < word.len() {
            let pieces = if start == 0 {
                &self.starts
            } else {
                &self.continues
            };
            let found = (start + 1..=word.len())
                .rev()
                .find_map(|end| pieces.get(&word[start..end]).map(|&id| (end, id)));
            let Some((end, id)) = found else {
                ids.truncate(before);
                ids.push(self.unknown);
                return;
            };
            ids.push(id);
            start = end;
        }
    }
}
