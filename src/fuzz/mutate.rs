//! The mutator: from seed inputs to new ones, deterministically from one number.
//!
//! Byte-level edits (bit flips, random and "interesting" bytes, insertions, deletions, copies
//! within the input, splices with another seed) find what a decoder does with bytes it does not
//! expect; UTF-8-aware edits (a character replaced or inserted at a character boundary, taken
//! from a list of characters that trouble text code, or a token of the input's format) keep the
//! text valid often enough to reach what lies behind the parser.

/// Characters that trouble text code: invisible and combining ones, ones that NFKC or case
/// folding expand, right-to-left text, look-alikes, emoji sequences, a replacement character.
const TRICKY_CHARS: &[&str] = &[
    "\u{200B}",
    "\u{FEFF}",
    "\u{200D}",
    "\u{0301}",
    "\u{0337}",
    "\u{FDFA}",
    "\u{FB03}",
    "ß",
    "İ",
    "ı",
    "\u{0130}\u{0307}",
    "Σ",
    "ς",
    "ｗ",
    "＠",
    "＃",
    "а",
    "ο",
    "𝐟",
    "①",
    "½",
    "\u{202E}",
    "ش",
    "中",
    "🔥",
    "👍🏽",
    "👨‍👩‍👧",
    "🇺🇸",
    "\u{FFFD}",
    "\u{10FFFF}",
    "\0",
    "\t",
    "\r\n",
    "\\",
    "\"",
    "'",
    "#",
    "@",
    "http://",
    "www.",
    ".com",
    "0",
    "4",
    "3",
    "1",
    "$",
    "%",
    "…",
    "—",
    "¿",
    " ",
    "  ",
];

/// Byte values at the edges of what decoders check: varint continuation bits, sign bits, wire
/// type bits, UTF-8 lead and continuation bytes.
const INTERESTING_BYTES: &[u8] = &[
    0x00, 0x01, 0x02, 0x07, 0x08, 0x0A, 0x0F, 0x10, 0x12, 0x1A, 0x20, 0x22, 0x2A, 0x7F, 0x80, 0x81,
    0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF,
];

/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same inputs on
/// every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Applies one to eight random edits to `input`, in place, keeping it at most `max_len` bytes.
/// `seeds` are spliced from; `dictionary` holds tokens of the input's format.
pub fn mutate(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    seeds: &[Vec<u8>],
    dictionary: &[&str],
    max_len: usize,
) {
    let edits = 1 + rng.below(8);
    for _ in 0..edits {
        edit(rng, input, seeds, dictionary);
    }
    input.truncate(max_len);
}

/// Half the time `structured` (an edit that knows the input's format and gives `None` when it
/// cannot apply), else [`mutate`]; so does a structured edit longer than `max_len`.
pub fn structured_or_bytes(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    seeds: &[Vec<u8>],
    dictionary: &[&str],
    max_len: usize,
    structured: impl FnOnce(&mut Rng, &[u8]) -> Option<Vec<u8>>,
) {
    if rng.chance(2)
        && let Some(edited) = structured(rng, input)
        && edited.len() <= max_len
    {
        *input = edited;
        return;
    }
    mutate(rng, input, seeds, dictionary, max_len);
}

fn edit(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>], dictionary: &[&str]) {
    let len = input.len();
    match rng.below(12) {
        0 if len > 0 => {
            let at = rng.below(len);
            input[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            input[at] = rng.next_u64() as u8;
        }
        2 if len > 0 => {
            let at = rng.below(len);
            input[at] = *rng.pick(INTERESTING_BYTES);
        }
        3 => {
            let at = rng.below(len + 1);
            let byte = *rng.pick(INTERESTING_BYTES);
            let count = 1 + rng.below(4);
            input.splice(at..at, std::iter::repeat_n(byte, count));
        }
        4 if len > 0 => {
            let (start, end) = range(rng, len);
            input.drain(start..end);
        }
        5 if len > 0 => {
            // Copy a piece of the input elsewhere in it: repeated fields, repeated records.
            let (start, end) = range(rng, len);
            let piece = input[start..end].to_vec();
            let at = rng.below(len + 1);
            input.splice(at..at, piece);
        }
        6 => {
            // Splice: a piece of another seed replaces the tail, or is inserted.
            if seeds.is_empty() {
                return;
            }
            let other = rng.pick(seeds);
            if other.is_empty() {
                return;
            }
            let (start, end) = range(rng, other.len());
            let at = rng.below(len + 1);
            if rng.chance(2) {
                input.truncate(at);
                input.extend_from_slice(&other[start..end]);
            } else {
                input.splice(at..at, other[start..end].iter().copied());
            }
        }
        7 | 8 => {
            let token = if dictionary.is_empty() || rng.chance(2) {
                *rng.pick(TRICKY_CHARS)
            } else {
                *rng.pick(dictionary)
            };
            let at = char_boundary(rng, input);
            input.splice(at..at, token.bytes());
        }
        9 if len > 0 => {
            // Replace one character with a tricky one, keeping valid UTF-8 valid.
            let start = char_boundary(rng, input);
            let end = next_boundary(input, start);
            input.splice(start..end, rng.pick(TRICKY_CHARS).bytes());
        }
        10 if len > 0 => {
            // A large number, where a length or a count might be.
            let at = char_boundary(rng, input);
            let number = rng.pick(&["-1", "4294967295", "18446744073709551616", "1e308", "NaN"]);
            input.splice(at..at, number.bytes());
        }
        11 if len > 0 => {
            let at = rng.below(len);
            input.truncate(at);
        }
        _ => input.push(rng.next_u64() as u8),
    }
}

/// A random non-empty range within `0..len`, usually short.
fn range(rng: &mut Rng, len: usize) -> (usize, usize) {
    let start = rng.below(len);
    let max = (len - start).min(if rng.chance(8) { len } else { 16 });
    (start, start + 1 + rng.below(max))
}

/// A random position in `input` that is a character boundary if `input` is UTF-8 there.
fn char_boundary(rng: &mut Rng, input: &[u8]) -> usize {
    let mut at = rng.below(input.len() + 1);
    while at < input.len() && is_continuation(input[at]) && at > 0 {
        at -= 1;
    }
    at
}

fn next_boundary(input: &[u8], start: usize) -> usize {
    let mut end = (start + 1).min(input.len());
    while end < input.len() && is_continuation(input[end]) {
        end += 1;
    }
    end
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_inputs() {
        let seeds = vec![b"hello world".to_vec(), "héllo".as_bytes().to_vec()];
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut input = seeds[0].clone();
            for _ in 0..100 {
                mutate(&mut rng, &mut input, &seeds, &["token"], 64);
            }
            input
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn inputs_stay_within_the_bound() {
        let seeds = vec![vec![b'a'; 100]];
        let mut rng = Rng::new(1);
        let mut input = seeds[0].clone();
        for _ in 0..1000 {
            mutate(&mut rng, &mut input, &seeds, &[], 120);
            assert!(input.len() <= 120);
        }
    }

    #[test]
    fn character_edits_keep_text_valid() {
        let seeds = ["añb€c🔥d".as_bytes().to_vec()];
        let mut rng = Rng::new(3);
        for _ in 0..1000 {
            let mut input = seeds[0].clone();
            let at = char_boundary(&mut rng, &input);
            let end = next_boundary(&input, at);
            input.splice(at..end, "ß".bytes());
            assert!(std::str::from_utf8(&input).is_ok(), "{input:?}");
        }
    }
}
