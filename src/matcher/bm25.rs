//! BM25 retrieval over the entries' interned terms: the first step of matching every post.
//!
//! A post's query is a handful of terms already interned by the matcher, run against short
//! entries. Accumulating scores over plain posting lists costs a few microseconds per post,
//! where building and running the same query in tantivy cost about 80 µs, half of all the time
//! spent on a post against a 10,000-claim collection. tantivy still serves free-text narrative
//! search ([`Matcher::search`](super::Matcher::search)).

use super::entries::TermId;
use crate::text::Lang;

/// Term-frequency saturation and length normalisation, tuned on the CheckThat! 2020 train split
/// (see `docs/quality.md`).
pub const K1: f32 = 1.2;
pub const B: f32 = 0.6;

pub struct Bm25 {
    /// By term id: every entry holding the term, in entry order, with the term's frequency part
    /// of the BM25 score, `tf·(K1+1) / (tf + K1·(1 − B + B·len/avg_len))`, computed once here.
    postings: Vec<Vec<(u32, f32)>>,
    entries: usize,
}

impl Bm25 {
    /// Indexes `docs`, each entry's language and analysed terms in text order (repeats
    /// included); `term_count` is the number of distinct term ids.
    pub fn new(docs: &[(Lang, Vec<TermId>)], term_count: usize) -> Self {
        let mut total = [0usize; 2];
        let mut count = [0usize; 2];
        for (lang, terms) in docs {
            total[*lang as usize] += terms.len();
            count[*lang as usize] += 1;
        }
        let avg_len = |lang: Lang| total[lang as usize] as f32 / count[lang as usize].max(1) as f32;
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); term_count];
        for (entry, (lang, terms)) in docs.iter().enumerate() {
            let norm = K1 * (1.0 - B + B * terms.len() as f32 / avg_len(*lang).max(1.0));
            let mut sorted = terms.clone();
            sorted.sort_unstable();
            for run in sorted.chunk_by(|a, b| a == b) {
                let tf = run.len() as f32;
                postings[run[0] as usize].push((entry as u32, tf * (K1 + 1.0) / (tf + norm)));
            }
        }
        Self {
            postings,
            entries: docs.len(),
        }
    }

    /// The best `limit` entries for a query of distinct terms with their IDF, best first, ties
    /// broken by entry number.
    pub fn search(&self, query: &[(TermId, f32)], limit: usize) -> Vec<(u32, f32)> {
        let mut scores = vec![0.0f32; self.entries];
        let mut touched: Vec<u32> = Vec::new();
        for &(term, idf) in query {
            for &(entry, weight) in self.postings.get(term as usize).into_iter().flatten() {
                let score = &mut scores[entry as usize];
                if *score == 0.0 {
                    touched.push(entry);
                }
                *score += idf * weight;
            }
        }
        let hits = touched.into_iter().map(|e| (e, scores[e as usize]));
        best_first(hits.collect(), limit)
    }
}

impl Bm25 {
    /// The BM25 score of one entry for a query (for entries found another way).
    pub fn score(&self, query: &[(TermId, f32)], entry: u32) -> f32 {
        query
            .iter()
            .filter_map(|&(term, idf)| {
                let postings = self.postings.get(term as usize)?;
                let at = postings.binary_search_by_key(&entry, |&(e, _)| e).ok()?;
                Some(idf * postings[at].1)
            })
            .sum()
    }
}

/// The `limit` best of scored entries, best first, ties broken by entry number.
pub fn best_first(mut hits: Vec<(u32, f32)>, limit: usize) -> Vec<(u32, f32)> {
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit, order);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(order);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Bm25 {
        // Terms: 0 "mail", 1 "ballot", 2 "china", 3 "vote" (Spanish entry uses 4, "voto").
        Bm25::new(
            &[
                (Lang::En, vec![0, 1, 1]),
                (Lang::En, vec![2, 1, 3, 3, 3, 3]),
                (Lang::En, vec![3]),
                (Lang::Es, vec![4]),
            ],
            5,
        )
    }

    #[test]
    fn ranks_by_idf_weighted_saturated_frequency() {
        let hits = index().search(&[(1, 0.5), (2, 2.0)], 10);
        let entries: Vec<u32> = hits.iter().map(|h| h.0).collect();
        // Entry 1 holds the rare "china"; entry 0 holds "ballot" twice in a shorter text.
        assert_eq!(entries, vec![1, 0]);
        assert!(hits[0].1 > hits[1].1);
    }

    #[test]
    fn shorter_entries_score_higher_for_the_same_frequency() {
        let hits = index().search(&[(3, 1.0)], 10);
        // "vote" once in a one-word entry against four times in a six-word one: saturation
        // keeps the long entry ahead, but by less than four times.
        assert_eq!(hits[0].0, 1);
        assert!(hits[0].1 < 4.0 * hits[1].1);
        assert_eq!(hits[1].0, 2);
    }

    #[test]
    fn keeps_the_best_limit_with_ties_in_entry_order() {
        let bm25 = Bm25::new(
            &[
                (Lang::En, vec![0]),
                (Lang::En, vec![0]),
                (Lang::En, vec![0]),
            ],
            1,
        );
        assert_eq!(
            bm25.search(&[(0, 1.0)], 2)
                .iter()
                .map(|h| h.0)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert!(bm25.search(&[(7, 1.0)], 2).is_empty(), "unknown term ids");
        let hits = index().search(&[(1, 0.5), (2, 2.0)], 10);
        for (entry, score) in hits {
            assert_eq!(index().score(&[(1, 0.5), (2, 2.0)], entry), score);
        }
        assert_eq!(index().score(&[(1, 0.5)], 2), 0.0, "entry 2 has no ballot");
        assert!(bm25.search(&[], 2).is_empty());
    }
}
