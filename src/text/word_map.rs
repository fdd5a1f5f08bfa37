//! [`WordMap`]: a hash map from words, for the lookups done for every word of every post.
//!
//! Words of up to 15 bytes (nearly every word of a post) are keyed by their bytes and length
//! packed in one `u128`, so a lookup compares two numbers where a string key would follow a
//! pointer to another allocation and compare there: that chase was three quarters of the word
//! table's lookup time, itself a seventh of lexical scoring. Longer words are keyed by the
//! string.
//!
//! [`WordMemo`] is a bounded, per-thread [`WordMap`] for remembering work done on words.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use thread_local::ThreadLocal;

#[derive(Clone)]
pub struct WordMap<V> {
    short: FxHashMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        Self {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

/// The bytes of a word of at most 15 bytes, with its length in the top byte (so `ab` and
/// `ab\0` differ).
fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    key[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(key))
}

impl<V> WordMap<V> {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            short: FxHashMap::with_capacity_and_hasher(capacity, Default::default()),
            long: FxHashMap::default(),
        }
    }

    /// Sets the value of `word`, replacing any earlier one.
    pub fn insert(&mut self, word: &str, value: V) {
        match short_key(word) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(word.into(), value),
        };
    }

    /// Sets the value of `word` unless it has one; whether it was set.
    pub fn insert_new(&mut self, word: &str, value: V) -> bool {
        let vacant = !self.contains(word);
        if vacant {
            self.insert(word, value);
        }
        vacant
    }

    pub fn get(&self, word: &str) -> Option<&V> {
        match short_key(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.get(word).is_some()
    }

    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

/// Words each thread remembers in a [`WordMemo`]; when full, it starts again empty.
pub const MEMO_WORDS: usize = 16_384;
/// Longer words are not remembered, which bounds a memo to about a megabyte per thread.
pub const MEMO_WORD_BYTES: usize = 32;

/// What was computed for words, remembered per thread (no locks) for up to [`MEMO_WORDS`]
/// words of up to [`MEMO_WORD_BYTES`] bytes, emptied when full. For work that a stream of posts
/// repeats: names, numbers, hashtags.
pub struct WordMemo<V: Send> {
    threads: ThreadLocal<RefCell<WordMap<V>>>,
}

impl<V: Send> Default for WordMemo<V> {
    fn default() -> Self {
        Self {
            threads: ThreadLocal::new(),
        }
    }
}

impl<V: Send> WordMemo<V> {
    /// `f` of the value remembered for `word` by this thread, if any.
    pub fn with<R>(&self, word: &str, f: impl FnOnce(&V) -> R) -> Option<R> {
        self.threads.get()?.borrow().get(word).map(f)
    }

    /// Remembers `value` for `word` in this thread (unless the word is too long).
    pub fn insert(&self, word: &str, value: V) {
        if word.len() > MEMO_WORD_BYTES {
            return;
        }
        let mut map = self.threads.get_or_default().borrow_mut();
        if map.len() >= MEMO_WORDS {
            *map = WordMap::default();
        }
        map.insert(word, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_words_are_found_and_kept_apart() {
        let mut map = WordMap::default();
        let words = [
            "ab",
            "ab\0",
            "fifteen-letters",  // 15 bytes: the longest inline key
            "sixteen-letters!", // 16 bytes: keyed by the string
            "señor",
        ];
        for (i, word) in words.iter().enumerate() {
            map.insert(word, i);
        }
        assert_eq!(map.len(), words.len());
        for (i, word) in words.iter().enumerate() {
            assert_eq!(map.get(word), Some(&i), "{word}");
        }
        for absent in ["", "a", "abc", "fifteen-letter", "sixteen-letters"] {
            assert!(!map.contains(absent), "{absent}");
        }
        assert!(!map.insert_new("ab", 9) && map.get("ab") == Some(&0));
        assert!(map.insert_new("abc", 9) && map.get("abc") == Some(&9));
    }

    #[test]
    fn a_memo_is_per_thread_and_bounded() {
        let memo = WordMemo::default();
        assert_eq!(memo.with("it's", |v| *v), None);
        memo.insert("it's", 1);
        assert_eq!(memo.with("it's", |v| *v), Some(1));
        std::thread::scope(|s| {
            s.spawn(|| assert_eq!(memo.with("it's", |v| *v), None, "another thread's"));
        });

        let long = "x".repeat(MEMO_WORD_BYTES + 1);
        memo.insert(&long, 2);
        assert_eq!(memo.with(&long, |v| *v), None);

        for i in 1..MEMO_WORDS {
            memo.insert(&format!("w{i}"), 3);
        }
        assert_eq!(memo.with("it's", |v| *v), Some(1), "full, not yet emptied");
        memo.insert("one-more", 4);
        assert_eq!(memo.with("it's", |v| *v), None, "emptied when full");
        assert_eq!(memo.with("one-more", |v| *v), Some(4));
    }
}
