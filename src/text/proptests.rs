//! Property tests of the whole pipeline: no panics, bounded output,
//! idempotence, no invisible or uppercase characters left.

use std::sync::LazyLock;

use proptest::prelude::*;

use super::unicode::is_invisible;
use super::*;

static LEX: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::english().with_domain_words(["rigged", "dominion", "maga", "biden", "fraude"])
});

/// Pieces that exercise every step; concatenated at random (no separators,
/// so they also collide with each other in unexpected ways).
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    " ", " ", " ", "a", "b", "i", "o", "s", "t", "x", "e", "ooo", "aaaa", "ll", "||", "1", "0", "3",
    "4", "5", "6", "7", "8", "9", "2", "11", "2020", "58,000", "3.5", "$100", "!", "!!", "@", "$", "|",
    "#", "#1", "_", "'", "'s", "’", ".", ",", "-", "/", ":", "%", "&", "~", "(", ")", "(@", "h)", "—",
    "b4ll0ts", "m@il", "v!ct0ry", "sw1tch", "x4y", "pm", "€", "€l€ction", "ni9ht", "fr4444ud", "84ll07",
    "#RiggedElection", "#fakeballotsfromchina", "(h€4t", "un$o|!c", "m!||!on$", "@b$en", "l i i i",
    "#MAGA2020", "Fake", "B4", "USA", "https://t.co/x", "www.", "bit.ly/", ".com", "pic.twitter.com/",
    "@user", "(@h)", "October 15, 2019", "Jan 2, 2020", "de", "mayo", "Donald J. Trump", "fraud",
    "ballots", "the", "ñ", "á", "¿", "¡", "Están", "\u{0430}", "\u{0440}", "\u{03BF}", "\u{03B7}", "Σ",
    "ς", "ß", "İ", "Ｆ", "𝐟", "\u{FDFA}", "ﬁ", "\u{200B}", "\u{FEFF}", "\u{00AD}", "\u{202E}",
    "\u{FE0F}", "\u{0301}", "\u{0307}", "\u{0337}", "\u{0345}", "\u{20E3}", "\u{0915}", "\u{093E}",
    "\u{0BC6}", "\u{0BBE}", "\u{0BCD}", "\u{1F170}", "\u{24B6}", "🔥", "\n", "\t",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24).prop_map(|v| v.concat())
}

fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        fragments(),
        "[a-zA-Z0-9 #@.!$|_',/:-]{0,60}",
        "[a-z ]{0,40}",
        "([a-z] ){0,12}[a-z]?",
        "[a-z0-9@$!|]{1,12}( [a-z0-9@$!|.,']{1,12}){0,4}",
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..12).prop_map(|v| v.join(" ")),
        // short words over a small alphabet: letter runs, tripled letters, leet
        prop::collection::vec("[abcilost]{1,4}", 0..10).prop_map(|v| v.join(" ")),
        prop::collection::vec("[abeilost0134578@$!|]{1,6}", 0..8).prop_map(|v| v.join(" ")),
    ]
}

fn check_output(raw: &str, out: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        out.chars().count() <= max_output_chars(raw),
        "too long: {:?}",
        out
    );
    prop_assert!(!out.chars().any(is_invisible), "invisible in {:?}", out);
    prop_assert!(
        !out.chars().any(char::is_uppercase),
        "uppercase in {:?}",
        out
    );
    prop_assert!(
        !out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "),
        "spacing: {:?}",
        out
    );
    Ok(())
}

proptest! {
    // 1000 cases by default (well under a second); PROPTEST_CASES=1000000 searches deeper.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn normalize_is_bounded_clean_and_idempotent(raw in texts()) {
        let once = normalize(&raw, &LEX);
        check_output(&raw, &once.text)?;
        let twice = normalize(&once.text, &LEX);
        prop_assert_eq!(&twice.text, &once.text, "raw: {:?}", raw);
    }

    #[test]
    fn strip_invisible_is_idempotent(raw in texts()) {
        let once = strip_invisible(&raw);
        prop_assert!(!once.chars().any(is_invisible));
        prop_assert_eq!(strip_invisible(&once), once);
    }

    #[test]
    fn fold_unicode_is_idempotent(raw in texts()) {
        let once = fold_unicode(&raw);
        prop_assert_eq!(fold_unicode(&once), once.clone(), "raw: {:?}", raw);
    }

    #[test]
    fn nfkc_around_non_ascii_runs_equals_nfkc_of_the_whole(raw in texts()) {
        use unicode_normalization::UnicodeNormalization;
        let whole: String = raw.nfkc().collect();
        prop_assert_eq!(super::unicode::nfkc(&raw), whole, "raw: {:?}", raw);
    }

    #[test]
    fn steps_never_panic(raw in texts()) {
        let _ = drop_links(&raw, &LEX);
        let _ = split_hashtags(&raw, &LEX);
        let _ = undo_leetspeak(&raw, &LEX);
        let _ = join_spaced_letters(&raw, &LEX);
        let _ = squeeze_elongations(&raw, &LEX);
        let _ = detect_lang(&raw);
    }
}
