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
//! rather than with English alone, which is what the probes were fitted on.
//!
//! `cargo run --release --example embed_lines -- OUT [--normalize] [--token-mean | --text] [--kb] < lines.txt`

use std::io::{BufRead, Write};

fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: embed_lines OUT < lines.txt"))?;
    let dir = counterclaim::embed::find_default_model()
        .ok_or_else(|| anyhow::anyhow!("no model: run scripts/fetch_model.sh"))?;
    let model = counterclaim::embed::Embedder::load(&dir)?;
    let normalize = std::env::args().any(|a| a == "--normalize");
    let token_mean = std::env::args().any(|a| a == "--token-mean");
    let lexicon = match std::env::args().any(|a| a == "--kb") {
        true => {
            let index = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index");
            let kb = counterclaim::kb::KnowledgeBase::load(&index)?;
            let matcher = counterclaim::matcher::Matcher::new(std::sync::Arc::new(kb), None)?;
            matcher.lexicon().clone()
        }
        false => counterclaim::text::Lexicon::english(),
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
    if std::env::args().any(|a| a == "--text") {
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
