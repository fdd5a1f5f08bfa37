//! The `counterclaim.admin.v1.Feedback` handler: converts a moderator's verdict to a
//! [`Feedback`] record, checks it against the knowledge base being served, and appends it to the
//! data directory's feedback file. Errors become statuses in `grpc::status`, as everywhere.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::pb::{self, feedback_server::Feedback as FeedbackRpc};
use crate::Error;
use crate::feedback::{Feedback, Verdict};
use crate::live::LiveMatcher;
use crate::store::feedback::FeedbackLog;

pub struct FeedbackService {
    /// Narrative ids are checked against the knowledge base served when the call starts.
    live: Arc<LiveMatcher>,
    log: Arc<FeedbackLog>,
}

impl FeedbackService {
    pub fn new(live: Arc<LiveMatcher>, log: Arc<FeedbackLog>) -> Self {
        Self { live, log }
    }
}

#[tonic::async_trait]
impl FeedbackRpc for FeedbackService {
    async fn submit_feedback(
        &self,
        request: Request<pb::SubmitFeedbackRequest>,
    ) -> Result<Response<pb::SubmitFeedbackResponse>, Status> {
        let key_name = super::key_name(&request);
        let request = request.into_inner();
        let matcher = self.live.snapshot();
        let kb = matcher.kb();
        let feedback = Feedback {
            recorded_at: String::new(),
            verdict: verdict(request.verdict())?,
            // An empty version means the answer came from the one served now.
            kb_version: if request.kb_version.is_empty() {
                kb.version().to_owned()
            } else {
                request.kb_version
            },
            post_id: request.post_id,
            narrative_id: request.narrative_id,
            note: request.note,
            score: request.score,
            key_name,
        };
        feedback.validate()?;
        if kb.narrative(&feedback.narrative_id).is_none() {
            return Err(Error::NotFound {
                what: "narrative",
                id: feedback.narrative_id,
            }
            .into());
        }
        // The append waits for the disk (sync_data): off the async workers.
        let log = self.log.clone();
        let recorded = tokio::task::spawn_blocking(move || log.append(feedback))
            .await
            .map_err(|e| Status::internal(format!("feedback task failed: {e}")))??;
        Ok(Response::new(pb::SubmitFeedbackResponse { recorded }))
    }
}

fn verdict(verdict: pb::Verdict) -> Result<Verdict, Error> {
    match verdict {
        pb::Verdict::Correct => Ok(Verdict::Correct),
        pb::Verdict::Wrong => Ok(Verdict::Wrong),
        pb::Verdict::Missed => Ok(Verdict::Missed),
        pb::Verdict::Unspecified => Err(Error::invalid(
            "verdict",
            "must be VERDICT_CORRECT, VERDICT_WRONG or VERDICT_MISSED",
        )),
    }
}
