//! What `match` and `narratives` print for a person: whole sentences, and every official
//! statement with who made it, when, and the words of the report it needs to stand alone.

use std::io::{IsTerminal, Read};

use anyhow::{Context, bail};
use counterclaim::kb::{KnowledgeBase, OfficialStatement};
use counterclaim::matcher::{MatchOutcome, Matcher, Post, Stance};

use super::NarrativesCommand;
use super::setup::{KbArg, MatcherArgs, match_options};

/// Search hits below this score share only a common word or two with the query (the search
/// scores with the matcher's calibrated model, whose threshold for a match is 0.5); they are
/// noise to a reader, and were printed as `0.00`.
const MIN_SEARCH_SCORE: f32 = 0.01;

pub fn match_post(
    text: Option<String>,
    args: &MatcherArgs,
    json: bool,
    min_score: Option<f32>,
    max_matches: u32,
) -> anyhow::Result<()> {
    let text = match text {
        Some(t) => t,
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!("Reading the post from standard input (end it with Ctrl-D)…");
            }
            let mut t = String::new();
            stdin
                .lock()
                .read_to_string(&mut t)
                .context("reading the post from standard input")?;
            t
        }
    };
    if text.trim().is_empty() {
        bail!("no post to match: give its text as an argument, or on standard input");
    }
    let options = match_options(max_matches, "--max-matches", min_score, true)?;
    let matcher = args.matcher()?;
    let outcome = matcher.match_post(&Post::new("cli", text), &options)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        print_outcome(&matcher, &outcome);
    }
    Ok(())
}

/// How a post relates to a narrative, as the end of "the post … it".
fn stance_sentence(stance: Stance) -> &'static str {
    match stance {
        Stance::Promotes => "the post promotes it",
        Stance::Debunks => "the post debunks it",
        Stance::Neutral => "the post mentions it without taking a side",
    }
}

fn print_outcome(matcher: &Matcher, outcome: &MatchOutcome) {
    if let Some(reason) = outcome.no_match_reason {
        println!("No known narrative: {reason}.");
        return;
    }
    let kb = matcher.kb();
    for m in &outcome.matches {
        println!("{} ({})", m.narrative_title, m.narrative_id);
        println!("  score {:.2}: {}", m.score, stance_sentence(m.stance));
        println!(
            "  closest {} [{}]: {}",
            m.evidence.kind, m.evidence.id, m.evidence.text
        );
        match m.evidence.matched_words.is_empty() {
            true => {
                println!("  matched words: none (it shares no word with the narrative's texts)")
            }
            false => println!("  matched words: {}", m.evidence.matched_words.join(", ")),
        }
        if !m.evidence.concepts.is_empty() {
            println!("  concepts: {}", m.evidence.concepts_line());
        }
        if let Some(n) = kb.narrative(&m.narrative_id) {
            if kb.statements_for(n).next().is_some() {
                println!("  official statements:");
            }
            for s in kb.statements_for(n) {
                print!("{}", statement("  ", s, false));
            }
        }
        println!();
    }
    println!("knowledge base {}", kb.version());
}

/// A statement as a few lines, each starting with `indent`: who, when, the quote, the report's
/// words around it, and (`with_source`) where it was published.
fn statement(indent: &str, s: &OfficialStatement, with_source: bool) -> String {
    let when = when(&s.date, &s.date_note).unwrap_or_else(|| "undated in the report".to_owned());
    let mut text = format!(
        "{indent}- {}, {}, {}; {when}:\n{indent}  \"{}\"\n",
        s.speaker, s.role, s.agency, s.quote
    );
    if !s.context.is_empty() {
        text.push_str(&format!("{indent}  In context: {}\n", s.context));
    }
    if with_source {
        text.push_str(&format!(
            "{indent}  ({}; {}: {})\n",
            s.published_in, s.provenance.outlet, s.provenance.title
        ));
    }
    text
}

/// When something was said: the date, the report's note on it, both, or neither.
fn when(date: &str, note: &str) -> Option<String> {
    match (date, note) {
        ("", "") => None,
        (date, "") => Some(date.to_owned()),
        ("", note) => Some(note.to_owned()),
        (date, note) => Some(format!("{date} ({note})")),
    }
}

pub fn narratives(command: NarrativesCommand, args: &KbArg) -> anyhow::Result<()> {
    match command {
        NarrativesCommand::List => {
            let kb = args.load()?;
            for n in kb.narratives() {
                println!("{}\t{}", n.id, n.title);
            }
        }
        NarrativesCommand::Show { id } => {
            let kb = args.load()?;
            show_narrative(&kb, &id, args)?;
        }
        NarrativesCommand::Search { query, index_dir } => {
            if query.trim().is_empty() {
                bail!(
                    "the query is empty: give a few words to look for in the narratives' \
                     titles, claims, variants and statements, e.g. \"fake ballots from China\""
                );
            }
            let matcher = Matcher::new(std::sync::Arc::new(args.load()?), index_dir.as_deref())?;
            let hits: Vec<_> = (matcher.search(&query, 0)?.into_iter())
                .filter(|hit| hit.score >= MIN_SEARCH_SCORE)
                .collect();
            if hits.is_empty() {
                println!(
                    "No narrative matches {query:?}. The search reads a query as it reads a \
                     post: try a few words of a claim, e.g. \"fake ballots from China\"."
                );
            }
            for hit in hits {
                println!(
                    "{:.2}\t{}\t{}",
                    hit.score, hit.narrative_id, hit.narrative_title
                );
            }
        }
    }
    Ok(())
}

fn show_narrative(kb: &KnowledgeBase, id: &str, args: &KbArg) -> anyhow::Result<()> {
    let Some(n) = kb.narrative(id) else {
        bail!(
            "no narrative {id:?} in {} (`counterclaim narratives list` lists them)",
            args.name()
        );
    };
    println!("{}\n{}\n", n.id, n.title);
    if !n.summary.is_empty() {
        println!("{}\n", n.summary);
    }
    println!("Documented claims:");
    for c in &n.claims {
        let who = match (c.claimant.as_str(), when(&c.date, &c.date_note)) {
            ("", None) => String::new(),
            ("", Some(when)) => format!(" ({when})"),
            (claimant, None) => format!(" ({claimant})"),
            (claimant, Some(when)) => format!(" ({claimant}, {when})"),
        };
        println!("- {}{who}: \"{}\"", c.id, c.text);
    }
    if kb.statements_for(n).next().is_none() {
        println!("\nOfficial statements: none in this knowledge base.");
    } else {
        println!("\nOfficial statements:");
    }
    for s in kb.statements_for(n) {
        print!("{}", statement("", s, true));
    }
    Ok(())
}
