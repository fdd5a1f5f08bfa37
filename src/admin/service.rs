//! The `KnowledgeBaseAdmin` handlers: convert, run the write on a blocking thread (it builds a
//! matcher), convert back. The curator does the work.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::pb::{self, knowledge_base_admin_server::KnowledgeBaseAdmin};
use crate::Error;
use crate::curator::{Curator, Written};
use crate::grpc::Counters;
use crate::kb::DocumentFormat;
use crate::limits;

pub struct AdminService {
    curator: Arc<Curator>,
    counters: Arc<Counters>,
}

impl AdminService {
    pub fn new(curator: Arc<Curator>, counters: Arc<Counters>) -> Self {
        Self { curator, counters }
    }

    /// Runs `write` off the async threads. A caller that goes away does not stop it: a write is
    /// whole or not at all.
    async fn write(
        &self,
        write: impl FnOnce(&Curator) -> Result<Written, Error> + Send + 'static,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let curator = self.curator.clone();
        let written = tokio::task::spawn_blocking(move || write(&curator))
            .await
            .map_err(|e| Status::internal(format!("the write failed: {e}")))??;
        self.counters.knowledge_base(&written.after);
        Ok(Response::new(pb::WriteResponse {
            version_before: written.before,
            version_after: written.after,
            sequence: written.sequence,
            narratives: count(written.narratives),
            statements: count(written.statements),
            warnings: written.warnings,
        }))
    }
}

#[tonic::async_trait]
impl KnowledgeBaseAdmin for AdminService {
    async fn put_narrative(
        &self,
        request: Request<pb::PutNarrativeRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let key = super::key_name(&request);
        let request = request.into_inner();
        let format = match pb::DocumentFormat::try_from(request.format) {
            Ok(pb::DocumentFormat::Toml) => DocumentFormat::Toml,
            Ok(pb::DocumentFormat::Json) => DocumentFormat::Json,
            Err(_) => return Err(Error::invalid("format", "unknown document format").into()),
        };
        check_version_field(&request.if_version)?;
        self.write(move |curator| {
            curator.put_narrative(&request.document, format, &request.if_version, &key)
        })
        .await
    }

    async fn delete_narrative(
        &self,
        request: Request<pb::DeleteNarrativeRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let key = super::key_name(&request);
        let request = request.into_inner();
        check_id("narrative_id", &request.narrative_id)?;
        check_version_field(&request.if_version)?;
        self.write(move |curator| {
            curator.delete_narrative(&request.narrative_id, &request.if_version, &key)
        })
        .await
    }

    async fn import_claim_review(
        &self,
        request: Request<pb::ImportClaimReviewRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let key = super::key_name(&request);
        let request = request.into_inner();
        check_version_field(&request.if_version)?;
        self.write(move |curator| {
            curator.import_claimreview(&request.document, &request.if_version, &key)
        })
        .await
    }

    async fn list_versions(
        &self,
        _: Request<pb::ListVersionsRequest>,
    ) -> Result<Response<pb::ListVersionsResponse>, Status> {
        let curator = self.curator.clone();
        let (versions, current) = tokio::task::spawn_blocking(move || curator.versions())
            .await
            .map_err(|e| Status::internal(format!("listing versions failed: {e}")))??;
        let versions = versions
            .into_iter()
            .map(|v| pb::Version {
                current: v.sequence == current,
                sequence: v.sequence,
                kb_version: v.kb_version,
                created_at: v.created_at,
                action: v.action,
                key_name: v.key_name,
                narratives: count(v.narratives),
            })
            .collect();
        Ok(Response::new(pb::ListVersionsResponse { versions }))
    }

    async fn rollback(
        &self,
        request: Request<pb::RollbackRequest>,
    ) -> Result<Response<pb::WriteResponse>, Status> {
        let key = super::key_name(&request);
        let request = request.into_inner();
        check_version_field(&request.if_version)?;
        self.write(move |curator| curator.rollback(request.sequence, &request.if_version, &key))
            .await
    }
}

fn check_id(field: &str, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid(field, "empty"));
    }
    check_length(field, id)
}

fn check_version_field(if_version: &str) -> Result<(), Error> {
    check_length("if_version", if_version)
}

fn check_length(field: &str, value: &str) -> Result<(), Error> {
    if value.len() > limits::MAX_ID_BYTES {
        let reason = format!("longer than {} bytes", limits::MAX_ID_BYTES);
        return Err(Error::invalid(field, reason));
    }
    Ok(())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
