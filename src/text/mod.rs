//! TEMPORARY STUB — replaced by the real normalisation module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}
pub struct Lexicon;
impl Lexicon {
    pub fn english() -> Lexicon {
        Lexicon
    }
    pub fn with_domain_words<'a>(self, _words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        self
    }
    pub fn contains(&self, _w: &str) -> bool {
        false
    }
    pub fn is_english_word(&self, _w: &str) -> bool {
        false
    }
}
pub struct Normalized {
    pub text: String,
    pub lang: Lang,
}
pub fn normalize(raw: &str, _l: &Lexicon) -> Normalized {
    let text: String = raw
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Normalized {
        text,
        lang: Lang::En,
    }
}
