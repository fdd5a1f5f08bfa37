//! Matching posts, one or a batch: validate and analyse each post, retrieve and score lexically,
//! decide whether the model should see it (the *gate*: its best lexical score must reach the
//! lexical model's `gate`), embed the posts that pass in one batch, then score again with the
//! hybrid model and explain. Posts the gate stops keep their lexical scores. A post through the
//! gate that the hybrid model could not score at the threshold even with the best embedding
//! there could be is not embedded either: it matches nothing, as it would have with the model.

use super::analysis::Analysis;
use super::concepts::{Coverage, Mention};
use super::entries::{EntryKind, TermId};
use super::score::CONCEPT_HYBRID;
use super::score::Overlap;
use super::{
    Best, CANDIDATES, MatchOutcome, Matcher, NarrativeMatch, REASON_BELOW_THRESHOLD, REASON_EMPTY,
    REASON_EXCLUDED, REASON_NO_CONCEPTS, REASON_NO_SHARED_WORDS, REASON_VETOED, Scoring,
    Similarity,
};
use super::{DEFAULT_THRESHOLD, MatchOptions, Post};
use crate::Error;
use crate::text::Lang;
use rayon::prelude::*;

/// A post's lexical work: its analysis, its BM25 query (kept to score the entries only the
/// model retrieves), the BM25 hits and their ranking by the lexical model.
struct Lexical<'m> {
    analysis: Analysis<'m>,
    query: Vec<(TermId, f32)>,
    hits: Vec<(u32, f32)>,
    ranked: Vec<(usize, Best)>,
}

/// A post analysed and retrieved lexically, before the model.
struct Prepared<'m> {
    lang: Lang,
    /// The lexical work, or the reason the post matches nothing.
    work: Result<Lexical<'m>, &'static str>,
    /// Whether the post passed the gate (and a model is in use).
    wants_model: bool,
}

impl Matcher {
    /// Matches one post. Input is validated first (sizes, options); a post with nothing to match
    /// is not an error: it gets no matches and a reason.
    pub fn match_post(&self, post: &Post, options: &MatchOptions) -> Result<MatchOutcome, Error> {
        let prepared = self.prepare(post, options)?;
        let embedding = match &prepared.work {
            Ok(Lexical { analysis, .. }) if prepared.wants_model => self
                .embed(&[analysis.model_text()])
                .into_iter()
                .next()
                .flatten(),
            _ => None,
        };
        Ok(self.complete(post, options, prepared, embedding.as_deref()))
    }

    /// Matches posts together, in order, on rayon's pool: every post is prepared in parallel,
    /// the model embeds the ones that pass the gate in one call (batched by length), and the
    /// posts are completed in parallel. Each post gets its own result (a bad post does not fail
    /// the others). A matched post whose last sentence is a verdict has what it judges embedded
    /// in a call of its own as it is completed (`reading.rs`).
    pub fn match_posts(
        &self,
        posts: &[Post],
        options: &MatchOptions,
    ) -> Vec<Result<MatchOutcome, Error>> {
        let prepared: Vec<Result<Prepared, Error>> =
            posts.par_iter().map(|p| self.prepare(p, options)).collect();
        let texts: Vec<&str> = prepared
            .iter()
            .filter_map(|p| match p {
                Ok(Prepared {
                    work: Ok(Lexical { analysis, .. }),
                    wants_model: true,
                    ..
                }) => Some(analysis.model_text()),
                _ => None,
            })
            .collect();
        let mut embeddings = self.embed(&texts).into_iter();
        let with_embeddings: Vec<_> = prepared
            .into_iter()
            .map(|prepared| {
                let wants = matches!(&prepared, Ok(p) if p.wants_model && p.work.is_ok());
                (
                    prepared,
                    if wants {
                        embeddings.next().flatten()
                    } else {
                        None
                    },
                )
            })
            .collect();
        with_embeddings
            .into_par_iter()
            .zip(posts)
            .map(|((prepared, embedding), post)| {
                Ok(self.complete(post, options, prepared?, embedding.as_deref()))
            })
            .collect()
    }

    fn prepare<'m>(&'m self, post: &Post, options: &MatchOptions) -> Result<Prepared<'m>, Error> {
        post.validate()?;
        options.validate()?;
        let lang_hint = post.lang_hint()?;
        let Some(mut analysis) = self.analyze(&post.text, lang_hint) else {
            return Ok(Prepared {
                lang: lang_hint.unwrap_or(Lang::En),
                work: Err(REASON_EMPTY),
                wants_model: false,
            });
        };
        let lang = analysis.lang;
        let vetoed = self.read_words(&mut analysis);
        self.read_attack(&post.text, &mut analysis);
        let done = |reason| Prepared {
            lang,
            work: Err(reason),
            wants_model: false,
        };
        // Narratives whose concepts the post all mentions.
        let mentioned = |n: usize| analysis.mentions[n].coverage() == Coverage::Complete;
        let any_mentioned = analysis.names_a_narrative();
        // Or whose probe may vouch for the concepts it misses, once the post is embedded.
        let probed = self.probed(&analysis);
        if analysis.term_ids.is_empty() && !any_mentioned && !probed {
            return Ok(done(REASON_NO_SHARED_WORDS));
        }
        if !probed && let Some(reason) = self.missing_concepts(&analysis, vetoed) {
            return Ok(done(reason));
        }
        // The cheap path most posts take: too few shared terms to score above zero. In hybrid
        // mode too: a lexical score of zero never passes the gate (every gate is above zero).
        if analysis.term_ids.len() < self.model.min_matched_terms()
            && !any_mentioned
            && !probed
            && self.lowest_threshold(options) > 0.0
        {
            return Ok(done(REASON_BELOW_THRESHOLD));
        }
        let query = self.query(&analysis);
        let mut hits = self.bm25.search(&query, CANDIDATES);
        // A post can mention a narrative's concepts in words none of its texts has: its claims
        // and variants are then candidates whatever BM25 thought of them.
        for n in (0..analysis.mentions.len()).filter(|&n| mentioned(n)) {
            self.add_texts(&mut hits, &query, n);
        }
        let ranked = self.rank(&analysis, &hits, &self.lexical_scoring());
        let best = ranked.first().map_or(0.0, |(_, b)| b.score());
        // The gate: a post whose best lexical score is this low shares only incidental words
        // with the knowledge base, and the model is not worth its time, unless it mentions a
        // narrative's concepts (in whatever words its aliases allow).
        let wants_model =
            self.uses_model(&analysis) && (best >= self.model.gate() || any_mentioned || probed);
        // Nor is it when no embedding could lift the post to the threshold; the hybrid model
        // would then match nothing, so neither does the post.
        let lowest = self.lowest_threshold(options);
        if wants_model && !probed && !self.model_could_match(&analysis, &query, &hits, lowest) {
            return Ok(done(REASON_BELOW_THRESHOLD));
        }
        Ok(Prepared {
            lang,
            work: Ok(Lexical {
                analysis,
                query,
                hits,
                ranked,
            }),
            wants_model,
        })
    }

    fn complete(
        &self,
        post: &Post,
        options: &MatchOptions,
        prepared: Prepared,
        embedding: Option<&[f32]>,
    ) -> MatchOutcome {
        let mut reason = REASON_BELOW_THRESHOLD;
        let matches: Vec<NarrativeMatch> = match prepared.work {
            Err(reason) => return outcome(post, prepared.lang, Vec::new(), reason),
            Ok(Lexical {
                mut analysis,
                query,
                mut hits,
                ranked,
            }) => {
                let ranked = match embedding.zip(self.dense.as_ref()) {
                    None => ranked,
                    Some((post_vector, dense)) => {
                        let (vouched, vetoed) = self.probe_verdicts(&analysis, post_vector);
                        for n in vetoed {
                            analysis.mentions[n] = analysis.mentions[n].vetoed();
                            reason = REASON_VETOED;
                        }
                        for n in vouched {
                            analysis.mentions[n] = analysis.mentions[n].completed();
                            self.add_texts(&mut hits, &query, n);
                        }
                        for (entry, _) in dense.nearest(post_vector, CANDIDATES) {
                            if !hits.iter().any(|&(e, _)| e == entry) {
                                hits.push((entry, self.bm25.score(&query, entry)));
                            }
                        }
                        let scoring = Scoring {
                            model: self.hybrid_model,
                            concept_model: &CONCEPT_HYBRID,
                            similarity: Similarity::Embedded(post_vector, dense),
                            concepts: true,
                        };
                        self.rank(&analysis, &hits, &scoring)
                    }
                };
                // A post the probe read and did not vouch for says why, as in lexical mode.
                if let Some(why) = self.missing_concepts(&analysis, reason == REASON_VETOED) {
                    reason = why;
                }
                self.answer(
                    &post.text,
                    &analysis,
                    ranked,
                    |n| self.threshold(options, n),
                    options.max_matches,
                    embedding,
                )
            }
        };
        outcome(post, prepared.lang, matches, reason)
    }

    /// The score from which narrative `n` is reported: the request's `min_score`, else the
    /// narrative's own threshold, else the default.
    fn threshold(&self, options: &MatchOptions, n: usize) -> f32 {
        options.min_score.unwrap_or_else(|| {
            self.kb().narratives()[n]
                .threshold
                .unwrap_or(DEFAULT_THRESHOLD)
        })
    }

    /// The lowest score any narrative is reported from: a post scoring below it everywhere
    /// matches nothing, and the shortcuts above may skip it.
    fn lowest_threshold(&self, options: &MatchOptions) -> f32 {
        options.min_score.unwrap_or(self.lowest_own_threshold)
    }

    /// Whether the hybrid model could score some narrative at `min_score` or more, whatever the
    /// post's embedding. No weight of the model is negative and a similarity is at most 1, so
    /// scoring with every similarity at 1 bounds the real scores from above. The model also
    /// retrieves entries BM25 did not: if BM25's candidates were cut at [`CANDIDATES`], all the
    /// entries sharing a term are bounded; those sharing none have no lexical feature but the
    /// narrative's coverage of the post and its anchoring (true for a narrative without
    /// anchors), both bounded here by their top.
    fn model_could_match(
        &self,
        analysis: &Analysis,
        query: &[(TermId, f32)],
        hits: &[(u32, f32)],
        min_score: f32,
    ) -> bool {
        let unshared = Overlap {
            narrative_coverage: 1.0,
            anchored: true,
            dense: 1.0,
            dense_share: 1.0,
            ..Overlap::default()
        };
        if self.hybrid_model.score(&unshared) >= min_score {
            return true;
        }
        let sharing;
        let hits = if hits.len() < CANDIDATES {
            hits
        } else {
            sharing = self.bm25.search(query, usize::MAX);
            &sharing
        };
        let ceiling = Scoring {
            model: self.hybrid_model,
            concept_model: &CONCEPT_HYBRID,
            similarity: Similarity::Ceiling,
            concepts: true,
        };
        let ranked = self.rank(analysis, hits, &ceiling);
        ranked
            .first()
            .is_some_and(|(_, best)| best.score() >= min_score)
    }

    /// The BM25 query of a post: its distinct known terms with their IDF.
    fn query(&self, analysis: &Analysis) -> Vec<(TermId, f32)> {
        analysis
            .term_ids
            .iter()
            .map(|&t| (t, self.terms.idf(t)))
            .collect()
    }

    /// Adds narrative `n`'s claims and variants to the candidates, whatever BM25 thought of
    /// them.
    fn add_texts(&self, hits: &mut Vec<(u32, f32)>, query: &[(TermId, f32)], n: usize) {
        for entry in self.narrative_entries[n].clone() {
            let is_text = !matches!(self.entries[entry as usize].kind, EntryKind::Statement(_));
            if is_text && !hits.iter().any(|&(e, _)| e == entry) {
                hits.push((entry, self.bm25.score(query, entry)));
            }
        }
    }

    /// Why a post matches nothing when every narrative declares concepts in its language and
    /// it mentions no narrative's in full (once the probes have vouched or vetoed): a veto, an
    /// exclusion phrase, or concepts missing. `None` when some narrative's are all mentioned, or
    /// some narrative declares none.
    fn missing_concepts(&self, analysis: &Analysis, vetoed: bool) -> Option<&'static str> {
        if analysis.names_a_narrative() || !self.concepts.everywhere(analysis.lang) {
            return None;
        }
        Some(if vetoed {
            REASON_VETOED
        } else if analysis.mentions.iter().any(|m| m.is_excluded()) {
            REASON_EXCLUDED
        } else {
            REASON_NO_CONCEPTS
        })
    }

    /// Whether the probe may make a candidate of a narrative whose concepts the post does not
    /// all mention, once the post is embedded: there is one, and the probe's first stage finds
    /// the post worth embedding.
    fn probed(&self, analysis: &Analysis) -> bool {
        let (Some(probe), Some(dense)) = (&self.probe, &self.dense) else {
            return false;
        };
        self.uses_model(analysis)
            && (0..analysis.mentions.len())
                .any(|n| probe.covers(n) && analysis.mentions[n].coverage() == Coverage::Missing)
            && dense
                .token_mean(analysis.model_text())
                .is_none_or(|mean| probe.worth_embedding(&mean))
    }

    /// What the probe makes of an embedded post: the narratives whose concepts the post does not
    /// all mention that it vouches for (from [`FLOOR`](super::probe::FLOOR) if it mentions some,
    /// from [`BARE_FLOOR`](super::probe::BARE_FLOOR) if none, when the word probe, if it read
    /// the post, gives [`BARE_ASSENT`](super::probe::BARE_ASSENT) or more), and those whose
    /// concepts it all mentions that it vetoes (below [`VETO`](super::probe::VETO)), unless the
    /// word probe vouched for the concepts missing from a post that names some: the probe
    /// vetoed 9 such fitting posts, every one about its narrative (stop 59). Where the word
    /// probe vouched for a post that names none, the probe must assent in turn (from
    /// [`BARE_ASSENT`](super::probe::BARE_ASSENT)), or it vetoes ("They underlaid the shingles with
    /// roofing paper").
    fn probe_verdicts(&self, analysis: &Analysis, post_vector: &[f32]) -> (Vec<usize>, Vec<usize>) {
        let Some(probe) = &self.probe else {
            return (Vec::new(), Vec::new());
        };
        let probabilities = probe.probabilities(post_vector);
        let floors = (super::probe::FLOOR, super::probe::BARE_FLOOR);
        // Where the post names none of a narrative's concepts, the word probe must assent, if
        // it read the post and covers the narrative.
        let word_probe = self.word_probes[analysis.lang as usize].as_ref();
        let assents = |n: usize| match (word_probe, analysis.word_probabilities.get(n)) {
            (Some(words), Some(&p)) if words.covers(n) => p >= super::probe::BARE_ASSENT,
            _ => true,
        };
        let (mut vouched, mut vetoed) = (Vec::new(), Vec::new());
        for n in (0..analysis.mentions.len()).filter(|&n| probe.covers(n)) {
            let (mention, probability) = (analysis.mentions[n], probabilities[n]);
            if vouches(mention, probability, floors) && (mention.partial() || assents(n)) {
                vouched.push(n);
            } else if mention.coverage() == Coverage::Complete
                && !mention.is_vouched_by_words()
                && (probability < super::probe::VETO
                    || mention.is_vouched_bare_by_words()
                        && probability < super::probe::BARE_ASSENT)
            {
                vetoed.push(n);
            }
        }
        (vouched, vetoed)
    }

    /// The word probe of the post's language does on its words (spelling-corrected) what the
    /// probe does on an embedding: for a Spanish post, which the model never embeds, in both
    /// modes; for an English one, in lexical mode in the probe's stead and in hybrid mode beside
    /// it (either may vouch). It may vouch, for a post it knows [`WORD_PROBE_MIN_KNOWN_WORDS`]
    /// words of or more, for the narratives whose concepts the post does not all mention: from
    /// the first of its floors if it mentions some, from the second if none (see
    /// [`WordProbe`](super::readout::WordProbe)); their concepts then count as mentioned (and,
    /// where it mentions some, the probe no longer vetoes them; where none, the probe must
    /// assent: see [`Self::probe_verdicts`]). And it vetoes those whose concepts it all mentions
    /// below its veto, except English posts in hybrid mode, where the probe's veto stands alone.
    /// Returns whether it vetoed any.
    fn read_words(&self, analysis: &mut Analysis) -> bool {
        let Some(probe) = self.word_probes[analysis.lang as usize].as_ref() else {
            return false;
        };
        let veto = if self.uses_model(analysis) {
            0.0
        } else {
            probe.veto
        };
        let read: Vec<usize> = (0..analysis.mentions.len())
            .filter(|&n| probe.covers(n) && analysis.mentions[n].coverage() != Coverage::Undeclared)
            .collect();
        if read.is_empty() {
            return false;
        }
        let probabilities = probe.probabilities(analysis.model_text());
        let long_enough = probe.known_words(analysis.model_text()) >= WORD_PROBE_MIN_KNOWN_WORDS;
        let mut vetoed = false;
        for &n in &read {
            let (mention, probability) = (analysis.mentions[n], probabilities[n]);
            if long_enough && vouches(mention, probability, probe.floors) {
                analysis.mentions[n] = if mention.partial() {
                    mention.vouched_by_words()
                } else {
                    mention.vouched_bare_by_words()
                };
            } else if mention.coverage() == Coverage::Complete && probability < veto {
                analysis.mentions[n] = mention.vetoed();
                vetoed = true;
            }
        }
        analysis.word_probabilities = probabilities;
        vetoed
    }

    /// A short attack on the process names the idea of the one narrative whose other concepts
    /// it mentions ("Absentee ballots aren't secure": the mail vote, and its fraud by denying
    /// it is sound), so it stands in for the missing concept, when no narrative is complete
    /// already. In hybrid mode only, where the probe then reads the post and may still veto it:
    /// measured on the fitting sets, it found 2 posts and raised no alarm there, and in lexical
    /// mode it found 2 for an alarm on a referee's count (`docs/quality.md`, stop 42). So does,
    /// in either mode, a closing verdict on a defence the post reports ("The FBI says absentee
    /// voting is safe. Sure, Jan."; [`Matcher::judges_a_defence`]): rejecting what officials
    /// say found 3 fitting posts in hybrid mode and 4 in lexical mode, no alarm anywhere (stop
    /// 45); any verdict on it, or on anybody's plain defence, 5 and 8 more (stop 48).
    fn read_attack(&self, raw: &str, analysis: &mut Analysis) {
        if analysis.names_a_narrative() {
            return;
        }
        let mentions = &analysis.mentions;
        let mut one = (0..mentions.len()).filter(|&n| mentions[n].missing_one());
        let (Some(n), None) = (one.next(), one.next()) else {
            return;
        };
        let asks = super::is_question(raw);
        let hybrid = self.uses_model(analysis);
        let attacks = hybrid
            && super::polarity::polarity(raw, &analysis.normalized, asks)
                == Some(super::Stance::Promotes);
        if attacks || self.judges_a_defence(raw, &analysis.normalized) {
            analysis.mentions[n] = analysis.mentions[n].completed();
        }
    }

    /// Whether this post is matched in hybrid mode: a model is in use and the post is English
    /// (the model is English-only: Spanish posts keep lexical scores rather than be dragged
    /// down by a dense similarity that means nothing for them).
    fn uses_model(&self, analysis: &Analysis) -> bool {
        self.dense.is_some() && analysis.lang == Lang::En
    }

    /// Embeds posts; on a model failure every post falls back to lexical scores, and the
    /// failure is logged.
    pub(super) fn embed(&self, texts: &[&str]) -> Vec<Option<Vec<f32>>> {
        let Some(dense) = self.dense.as_ref().filter(|_| !texts.is_empty()) else {
            return Vec::new();
        };
        match dense.encode(texts) {
            Ok(vectors) => vectors.into_iter().map(Some).collect(),
            Err(error) => {
                tracing::warn!(%error, posts = texts.len(), "embedding failed; scoring lexically");
                vec![None; texts.len()]
            }
        }
    }
}

fn outcome(
    post: &Post,
    lang: Lang,
    matches: Vec<NarrativeMatch>,
    reason: &'static str,
) -> MatchOutcome {
    MatchOutcome {
        post_id: post.id.clone(),
        lang,
        no_match_reason: matches.is_empty().then_some(reason),
        matches,
    }
}

/// The fewest words a word probe must know in a post to vouch for it. The words it knows are the
/// post's whole TF-IDF vector, unit length, so a few weigh as much as a post's worth of them:
/// "Kidney Theft" was the late count's theft, "Professor's Paper" foreign counterfeit ballots
/// (the titles stream's fitting half, lexical mode; stop 51), and WordNet's "China is wooing
/// Russia" and "transact with foreign governments" foreign ballots too, on the one word of each
/// the probe knows well (stop 60). At four known words, no fitting post is lost in hybrid
/// mode, and one in lexical mode ("Absentee voting works."); `docs/quality.md` has the figures.
const WORD_PROBE_MIN_KNOWN_WORDS: usize = 4;

/// Whether a probe's `probability` for a narrative whose concepts the post does not all mention
/// makes it a candidate: from the first of `floors` if the post mentions some of them, from the
/// second if none.
fn vouches(mention: Mention, probability: f32, floors: (f32, f32)) -> bool {
    let floor = if mention.partial() {
        floors.0
    } else {
        floors.1
    };
    mention.coverage() == Coverage::Missing && probability >= floor
}
