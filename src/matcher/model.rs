//! The matcher's sentence-embedding model: switching to hybrid matching, carrying the model (and
//! the entries' vectors it already computed) over to the next knowledge base, and decorating it.

use std::path::Path;
use std::sync::Arc;

use super::{Dense, Encoder, Error, KnowledgeBase, Matcher};

impl Matcher {
    /// Switches to hybrid matching: embeds every entry with `encoder`, or reads the embeddings
    /// from `cache_dir` if an earlier run cached them for this knowledge base and model. On
    /// error the matcher stays lexical.
    pub fn use_encoder(
        &mut self,
        encoder: Arc<dyn Encoder>,
        cache_dir: Option<&Path>,
    ) -> Result<(), Error> {
        let texts: Vec<&str> = self.entries.iter().map(|e| e.indexed.as_str()).collect();
        let dense =
            Dense::build(encoder, &texts, self.kb.version(), cache_dir).map_err(Error::Model)?;
        self.dense = Some(dense);
        self.attach_probe();
        Ok(())
    }

    /// The shipped probe, if it was fitted with this model on some of these narratives; and
    /// the stance read-out, reading this model's embeddings if it was fitted with them.
    fn attach_probe(&mut self) {
        let model = self
            .dense
            .as_ref()
            .map(|dense| (dense.model_id(), dense.encoder().dim()));
        self.probe = model.and_then(|(id, dim)| super::probe::Probe::shipped(&self.kb, id, dim));
        if let Some(readout) = &mut self.readout {
            readout.use_model(model);
        }
    }

    /// A matcher for another knowledge base with this one's model (and its decorator): what a
    /// knowledge-base update serves next. Only the entries whose text this one lacks are
    /// embedded (or all are read from `cache_dir`); the search index is built in RAM.
    pub fn for_knowledge_base(
        &self,
        kb: Arc<KnowledgeBase>,
        cache_dir: Option<&Path>,
    ) -> Result<Matcher, Error> {
        let mut matcher = Matcher::new(kb, None)?;
        if let Some(dense) = &self.dense {
            let earlier: Vec<&str> = self.entries.iter().map(|e| e.indexed.as_str()).collect();
            let texts: Vec<&str> = matcher.entries.iter().map(|e| e.indexed.as_str()).collect();
            let version = matcher.kb.version();
            let built = Dense::build_from(
                dense.encoder(),
                &texts,
                version,
                cache_dir,
                Some((dense, &earlier)),
            );
            matcher.dense = Some(built.map_err(Error::Model)?);
            matcher.attach_probe();
        }
        Ok(matcher)
    }

    /// Wraps the model in a decorator that must compute the same vectors (one that times it, for
    /// the service's metrics); the entries' embeddings are kept. Lexical mode has no model.
    pub fn decorate_encoder(
        &mut self,
        decorate: impl FnOnce(Arc<dyn Encoder>) -> Arc<dyn Encoder>,
    ) {
        if let Some(dense) = &mut self.dense {
            dense.decorate(decorate);
        }
    }
}
