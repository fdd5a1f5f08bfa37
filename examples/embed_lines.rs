//! Embeds each line of standard input with the sentence-embedding model and writes the vectors
//! as little-endian f32 rows to the file named by the first argument: input for analysis
//! scripts (`scripts/semantic_concepts.py`).
//!
//! With `--normalize`, each line is normalised first as the matcher normalises posts. With
//! `--token-mean`, the vector is the mean of the line's tokens' input vectors (what the probe's
//! first stage reads) rather than the sentence embedding. With `--text`, each line is written
//! normalised instead, after its detected language and whether it asks (1 or 0), tab-separated:
//! what the stance read-out reads. With `--kb`, lines are normalised with the word lists the
//! matcher uses on the shipped knowledge base (English and the knowledge base's own words)
//! rather than with English alone. With `--model-text`, each line is written as the matcher on
//! the shipped knowledge base hands it to the model (normalised and spelling-corrected; an
//! empty line when nothing is left): what the probes are fitted on, embedded by a second run
//! without `--normalize`.
//!
//! `cargo run --release --example embed_lines -- OUT [--normalize] [--token-mean | --text | --model-text] [--kb] < lines.txt`

use std::io::{BufRead, Write};

fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: embed_lines OUT < lines.txt"))?;
    let dir = counterclaim::embed::find_default_model()
        .ok_or_else(|| anyhow::anyhow!("no model: run scripts/fetch_model.sh"))?;
    let model = counterclaim::embed::Embedder::load(&dir)?;
    let flag = |name: &str| std::env::args().any(|a| a == name);
    let (normalize, token_mean, model_text) = (
        flag("--normalize"),
        flag("--token-mean"),
        flag("--model-text"),
    );
    let matcher = match flag("--kb") || model_text {
        true => {
            let index = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index");
            let kb = counterclaim::kb::KnowledgeBase::load(&index)?;
            Some(counterclaim::matcher::Matcher::new(
                std::sync::Arc::new(kb),
                None,
            )?)
        }
        false => None,
    };
    let lexicon = match &matcher {
        Some(matcher) => matcher.lexicon().clone(),
        None => counterclaim::text::Lexicon::english(),
    };
    let lines = std::io::stdin()
        .lock()
        .lines()
        .map(|line| {
            line.map(|l| match normalize {
                true => counterclaim::text::normalize(&l, &lexicon).text,
                false => l,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    if let Some(matcher) = matcher.as_ref().filter(|_| model_text) {
        for line in &lines {
            writeln!(file, "{}", matcher.model_text(line).unwrap_or_default())?;
        }
        return Ok(file.flush()?);
    }
    if flag("--text") {
        for line in &lines {
            let normalized = counterclaim::text::normalize(line, &lexicon);
            let lang = counterclaim::matcher::lang_code_str(normalized.lang);
            let question = u8::from(counterclaim::matcher::is_question(line));
            writeln!(file, "{lang}\t{question}\t{}", normalized.text)?;
        }
        return Ok(file.flush()?);
    }
    for chunk in lines.chunks(512) {
        let texts: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let vectors = match token_mean {
            true => texts
                .iter()
                .map(|t| model.token_mean(t))
                .collect::<Result<_, _>>()?,
            false => model.embed(&texts)?,
        };
        for vector in vectors {
            for x in vector {
                file.write_all(&x.to_le_bytes())?;
            }
        }
    }
    file.flush()?;
    Ok(())
}
