//! Time in the sentence-embedding model, for the metrics: a decorator around the matcher's
//! [`Encoder`] that `counterclaim serve` puts in place ([`crate::matcher::Matcher::decorate_encoder`]),
//! so neither the matcher nor the model learns about metrics.

use std::sync::Arc;
use std::time::Instant;

use super::counters::Counters;
use crate::matcher::Encoder;

/// `encoder`, with each batch it embeds counted: its texts and its time in the model.
pub fn timed(encoder: Arc<dyn Encoder>, counters: Arc<Counters>) -> Arc<dyn Encoder> {
    Arc::new(Timed {
        inner: encoder,
        counters,
    })
}

struct Timed {
    inner: Arc<dyn Encoder>,
    counters: Arc<Counters>,
}

impl Encoder for Timed {
    fn id(&self) -> &str {
        self.inner.id()
    }

    fn revision(&self) -> u32 {
        self.inner.revision()
    }

    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let started = Instant::now();
        let embedded = self.inner.encode(texts);
        let texts = if embedded.is_ok() { texts.len() } else { 0 };
        self.counters.model_ran(texts, started.elapsed());
        embedded
    }

    fn token_mean(&self, text: &str) -> Option<Vec<f32>> {
        self.inner.token_mean(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Constant;

    impl Encoder for Constant {
        fn id(&self) -> &str {
            "constant"
        }
        fn dim(&self) -> usize {
            2
        }
        fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
            Ok(texts.iter().map(|_| vec![1.0, 0.0]).collect())
        }
    }

    #[test]
    fn each_batch_is_timed_and_its_texts_counted() {
        let counters = Arc::new(Counters::default());
        let model = timed(Arc::new(Constant), counters.clone());
        assert_eq!(model.id(), "constant");
        assert_eq!(model.encode(&["a", "b"]).unwrap().len(), 2);
        model.encode(&["c"]).unwrap();
        let text = counters.render();
        for line in [
            "counterclaim_model_seconds_count 2",
            "counterclaim_posts_embedded_total 3",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
        }
    }
}
