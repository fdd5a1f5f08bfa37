//! Ranking quality on a claim-retrieval benchmark (CheckThat! "verified claim retrieval").
//!
//! Queries are `id<TAB>text` lines (a header line is detected and skipped; CSV-style quoting with
//! `""` escapes and embedded line breaks is handled). Relevance judgements are TREC qrels:
//! `qid 0 docid relevance`. The matcher ranks narratives for each query with the threshold off,
//! exactly as it does when serving, and the measures are computed over that ranking:
//!
//! - MAP@k, the official CheckThat! measure: for each query, the sum of precision@i at every
//!   rank i ≤ k that holds a relevant claim, divided by the number of relevant claims (as
//!   trec_eval's `map_cut` and the CheckThat! scorer compute it), averaged over queries;
//! - MRR: the mean of 1/rank of the first relevant claim (0 when none is retrieved);
//! - P@1, and Recall@1/5/20: the share of relevant claims found in the top 1, 5, 20.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::Path;

use serde::Serialize;

use super::FeatureRow;
use crate::limits;
use crate::matcher::{MatchOptions, Matcher, NarrativeMatch, Post};

/// How deep the ranking goes (the deepest cutoff measured).
pub const DEPTH: usize = limits::MAX_MATCHES;

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub id: String,
    pub text: String,
}

/// Relevant document ids per query id.
pub type Qrels = HashMap<String, HashSet<String>>;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    pub n: usize,
    pub k: usize,
    pub map_at_k: f64,
    pub mrr: f64,
    pub p_at_1: f64,
    pub recall_at_1: f64,
    pub recall_at_5: f64,
    pub recall_at_20: f64,
}

impl Metrics {
    pub fn to_text(&self) -> String {
        format!(
            "n={}  MAP@{}={:.4}  MRR={:.4}  P@1={:.4}  R@1={:.4}  R@5={:.4}  R@20={:.4}",
            self.n,
            self.k,
            self.map_at_k,
            self.mrr,
            self.p_at_1,
            self.recall_at_1,
            self.recall_at_5,
            self.recall_at_20
        )
    }
}

/// Reads `id<TAB>text` queries. A first line whose id field is empty or not like the others
/// (e.g. `<TAB>tweet_content` or `id<TAB>text`) is taken as a header.
pub fn read_queries(path: &Path) -> Result<Vec<Query>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut queries = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        let (Some(id), Some(text)) = (record.get(0), record.get(1)) else {
            return Err(format!("{}:{line}: expected id<TAB>text", path.display()));
        };
        if i == 0 && looks_like_header(id, text) {
            continue;
        }
        queries.push(Query {
            id: id.trim().to_owned(),
            text: text.to_owned(),
        });
    }
    Ok(queries)
}

fn looks_like_header(id: &str, text: &str) -> bool {
    let id = id.trim().to_ascii_lowercase();
    id.is_empty()
        || ["id", "qid", "query_id", "tweet_id"].contains(&id.as_str())
        || text.trim() == "tweet_content"
}

/// Reads TREC qrels (`qid 0 docid relevance`); relevance > 0 counts as relevant.
pub fn read_qrels(reader: impl BufRead, name: &str) -> Result<Qrels, String> {
    let mut qrels = Qrels::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("{name}:{}: {e}", i + 1))?;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [qid, _, doc, rel] = fields[..] else {
            return Err(format!(
                "{name}:{}: expected `qid 0 docid relevance`",
                i + 1
            ));
        };
        let rel: i64 = rel
            .parse()
            .map_err(|_| format!("{name}:{}: relevance {rel:?} is not a number", i + 1))?;
        let docs = qrels.entry(qid.to_owned()).or_default();
        if rel > 0 {
            docs.insert(doc.to_owned());
        }
    }
    Ok(qrels)
}

/// The narrative ids and scores of full matches.
pub fn scored(matches: &[Vec<NarrativeMatch>]) -> Vec<Vec<(String, f32)>> {
    matches
        .iter()
        .map(|ms| {
            ms.iter()
                .map(|m| (m.narrative_id.clone(), m.score))
                .collect()
        })
        .collect()
}

/// The candidates of every query (from [`rank_matches`]) with their features, labelled by the
/// qrels.
pub fn feature_rows(
    queries: &[Query],
    matches: &[Vec<NarrativeMatch>],
    qrels: &Qrels,
) -> Vec<FeatureRow> {
    let mut rows = Vec::new();
    for (query, matches) in queries.iter().zip(matches) {
        let Some(relevant) = qrels.get(&query.id) else {
            continue;
        };
        for m in matches {
            rows.push(FeatureRow::new(
                &query.id,
                m,
                relevant.contains(&m.narrative_id),
            ));
        }
    }
    rows
}

/// The matcher's full matches for each query, best first, at most [`DEPTH`], in parallel.
pub fn rank_matches(matcher: &Matcher, queries: &[Query]) -> Vec<Vec<NarrativeMatch>> {
    use rayon::prelude::*;
    let options = MatchOptions {
        max_matches: DEPTH,
        min_score: Some(0.0),
        include_statements: false,
    };
    queries
        .par_iter()
        .map(|q| {
            let mut text = q.text.clone();
            truncate_to_limit(&mut text);
            matcher
                .match_post(&Post::new(q.id.clone(), text), &options)
                .map(|o| o.matches)
                .unwrap_or_default()
        })
        .collect()
}

fn truncate_to_limit(text: &mut String) {
    if text.len() > limits::MAX_POST_TEXT_BYTES {
        let mut end = limits::MAX_POST_TEXT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// The measures over the queries that have judgements.
pub fn evaluate(
    queries: &[Query],
    rankings: &[Vec<(String, f32)>],
    qrels: &Qrels,
    k: usize,
) -> Metrics {
    let mut m = Metrics {
        k,
        ..Metrics::default()
    };
    for (query, ranking) in queries.iter().zip(rankings) {
        let Some(relevant) = qrels.get(&query.id).filter(|r| !r.is_empty()) else {
            continue;
        };
        m.n += 1;
        let hits: Vec<bool> = ranking
            .iter()
            .map(|(doc, _)| relevant.contains(doc))
            .collect();
        m.map_at_k += average_precision(&hits, relevant.len(), k);
        m.mrr += hits
            .iter()
            .position(|&h| h)
            .map_or(0.0, |r| 1.0 / (r + 1) as f64);
        m.p_at_1 += f64::from(u8::from(hits.first() == Some(&true)));
        let recall = |depth: usize| {
            hits.iter().take(depth).filter(|&&h| h).count() as f64 / relevant.len() as f64
        };
        m.recall_at_1 += recall(1);
        m.recall_at_5 += recall(5);
        m.recall_at_20 += recall(20);
    }
    if m.n > 0 {
        let n = m.n as f64;
        for v in [
            &mut m.map_at_k,
            &mut m.mrr,
            &mut m.p_at_1,
            &mut m.recall_at_1,
            &mut m.recall_at_5,
            &mut m.recall_at_20,
        ] {
            *v /= n;
        }
    }
    m
}

/// Average precision over the top `k`, normalised by the number of relevant documents.
pub fn average_precision(hits: &[bool], relevant: usize, k: usize) -> f64 {
    if relevant == 0 {
        return 0.0;
    }
    let mut found = 0;
    let mut sum = 0.0;
    for (i, _) in hits.iter().take(k).enumerate().filter(|(_, h)| **h) {
        found += 1;
        sum += found as f64 / (i + 1) as f64;
    }
    sum / relevant as f64
}

/// Writes a TREC run file: `qid Q0 docid rank score tag`.
///
/// trec_eval and the CheckThat! scorer ignore the rank column: they sort by score, and break
/// ties by docid, *descending* (`comp_sim_docno` in trec_eval, `sort_values` in trectools). Two
/// claims that score exactly the same (the 2020 collection holds many duplicates that differ
/// only in their quote marks) would then be re-ordered, and our run measured 0.08 lower there
/// than here. So a score that does not fall below the one above it is written one millionth
/// below it: every scorer sees the ranking this command measured.
pub fn write_run(
    out: &mut impl Write,
    queries: &[Query],
    rankings: &[Vec<(String, f32)>],
    tag: &str,
) -> std::io::Result<()> {
    for (query, ranking) in queries.iter().zip(rankings) {
        let mut above: Option<i64> = None;
        for (rank, (doc, score)) in ranking.iter().enumerate() {
            let mut millionths = (f64::from(*score) * 1e6).round() as i64;
            if let Some(above) = above {
                millionths = millionths.min(above - 1);
            }
            above = Some(millionths);
            writeln!(
                out,
                "{} Q0 {} {} {:.6} {tag}",
                query.id,
                doc,
                rank + 1,
                millionths as f64 / 1e6
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str) -> Query {
        Query {
            id: id.into(),
            text: String::new(),
        }
    }

    fn ranking(docs: &[&str]) -> Vec<(String, f32)> {
        docs.iter().map(|d| (d.to_string(), 0.5)).collect()
    }

    #[test]
    fn average_precision_matches_hand_computed_values() {
        // Relevant at ranks 1 and 3 of 2 relevant: (1/1 + 2/3) / 2.
        let ap = average_precision(&[true, false, true], 2, 5);
        assert!((ap - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        // The cutoff hides the hit at rank 6; normalised by all relevant.
        assert_eq!(
            average_precision(&[false, false, false, false, false, true], 1, 5),
            0.0
        );
        assert!((average_precision(&[false, true], 3, 5) - 0.5 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn metrics_match_hand_computed_values() {
        let qrels = read_qrels("a 0 x 1\nb 0 y 1\nb 0 z 1\nc 0 w 0\n".as_bytes(), "qrels").unwrap();
        let queries = [q("a"), q("b"), q("c"), q("unjudged")];
        let rankings = [
            ranking(&["x", "p"]),
            ranking(&["p", "y", "q", "r", "s", "z"]),
            ranking(&["w"]),
            ranking(&["x"]),
        ];
        let m = evaluate(&queries, &rankings, &qrels, 5);
        // Only a and b count: c has no relevant document, the last has no judgements.
        assert_eq!(m.n, 2);
        // a: AP 1. b: relevant y at 2 (z at 6 is beyond the cutoff): (1/2) / 2 = 0.25.
        assert!((m.map_at_k - (1.0 + 0.25) / 2.0).abs() < 1e-12);
        assert!((m.mrr - (1.0 + 0.5) / 2.0).abs() < 1e-12);
        assert!((m.p_at_1 - 0.5).abs() < 1e-12);
        assert!((m.recall_at_1 - 0.5).abs() < 1e-12);
        assert!((m.recall_at_5 - (1.0 + 0.5) / 2.0).abs() < 1e-12);
        assert!((m.recall_at_20 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn queries_skip_headers_and_handle_quoting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.tsv");
        std::fs::write(
            &path,
            "\ttweet_content\n1\t\"a \"\"quoted\"\"\nline\"\n2\tplain\n",
        )
        .unwrap();
        let queries = read_queries(&path).unwrap();
        assert_eq!(
            queries,
            [
                Query {
                    id: "1".into(),
                    text: "a \"quoted\"\nline".into()
                },
                Query {
                    id: "2".into(),
                    text: "plain".into()
                }
            ]
        );
    }

    #[test]
    fn bad_qrels_name_the_line() {
        let err = read_qrels("a 0 x 1\nbroken\n".as_bytes(), "q.qrels").unwrap_err();
        assert!(err.starts_with("q.qrels:2:"), "{err}");
    }

    #[test]
    fn run_files_are_trec_formatted() {
        let mut out = Vec::new();
        write_run(&mut out, &[q("7")], &[ranking(&["x", "y"])], "cc").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "7 Q0 x 1 0.500000 cc\n7 Q0 y 2 0.499999 cc\n"
        );
    }

    #[test]
    fn scorers_that_sort_by_score_see_the_ranking_as_ranked() {
        // Ties, and a score that only ties after rounding to six decimals; "b" < "c" so
        // trec_eval's descending-docid tie break would put "c" first.
        let ranked = vec![
            ("b".to_string(), 0.7),
            ("c".to_string(), 0.7),
            ("a".to_string(), 0.699_999_9),
            ("d".to_string(), 0.1),
        ];
        let mut out = Vec::new();
        write_run(&mut out, &[q("1")], &[ranked], "cc").unwrap();
        let mut lines: Vec<(f64, String)> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                (f[4].parse().unwrap(), f[2].to_string())
            })
            .collect();
        lines.sort_by(|(s, d), (t, e)| t.total_cmp(s).then(e.cmp(d)));
        let resorted: Vec<&str> = lines.iter().map(|(_, d)| d.as_str()).collect();
        assert_eq!(resorted, ["b", "c", "a", "d"]);
    }
}
