//! The `counterclaim.v1.Counterclaim` handlers: validate, convert, admit, call the matcher,
//! convert back. Matching runs on the blocking pool so a large batch never stalls the async
//! runtime, and stops between sub-batches once its caller has gone (see [`Abandoned`]).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::{Request, Response, Status, Streaming};

use super::access_log::CallInfo;
use super::admission::Admission;
use super::counters::Counters;
use super::pb::{self, counterclaim_server::Counterclaim};
use super::record::Pending;
use super::streams::{Session, StreamSlots};
use super::{Options, convert};
use crate::kb::KnowledgeBase;
use crate::live::LiveMatcher;
use crate::matcher::{MatchOptions, Matcher, Post};
use crate::store::trends::TrendRecorder;
use crate::{Error, limits};

/// Posts matched between two checks that the caller is still there. Small enough that an
/// abandoned batch stops within a few posts' time, large enough that hybrid mode still embeds
/// posts together.
pub const CANCEL_CHECK_POSTS: usize = 32;

pub struct CounterclaimService {
    /// Each call takes one snapshot when it starts and answers from it.
    live: Arc<LiveMatcher>,
    admission: Arc<Admission>,
    streams: Arc<StreamSlots>,
    stream_idle_timeout: Duration,
    counters: Arc<Counters>,
    /// Where answered matches are recorded; `None` records nothing.
    trends: Option<TrendRecorder>,
    /// Turns true at the drain deadline: open streams end.
    end_streams: watch::Receiver<bool>,
}

impl CounterclaimService {
    pub fn new(
        live: Arc<LiveMatcher>,
        options: &Options,
        streams: Arc<StreamSlots>,
        end_streams: watch::Receiver<bool>,
    ) -> Self {
        let counters = options.counters.clone();
        Self {
            live,
            admission: Arc::new(Admission::new(
                options.max_posts_in_flight,
                options.max_queued_calls,
                options.queue_timeout,
                counters.clone(),
            )),
            streams,
            stream_idle_timeout: options.stream_idle_timeout,
            counters,
            trends: options.trends.clone(),
            end_streams,
        }
    }
}

/// Set when a handler's future is dropped, which tonic does when the caller's deadline passes
/// or the caller resets the call; matching checks it between sub-batches. The matcher never sees
/// it: the handler splits the work.
struct Abandoned(Arc<AtomicBool>);

impl Abandoned {
    fn new() -> Self {
        Self(Arc::new(AtomicBool::new(false)))
    }

    fn flag(&self) -> Arc<AtomicBool> {
        self.0.clone()
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs CPU-bound matching off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Status> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Status::internal(format!("matching task failed: {e}")))?
        .map_err(Status::from)
}

fn count_posts<T>(request: &Request<T>, posts: usize) {
    if let Some(info) = request.extensions().get::<Arc<CallInfo>>() {
        info.add_posts(posts);
    }
}

/// What `MatchPost` (and each post of a stream) does once admitted.
pub(crate) fn match_one(
    matcher: &Matcher,
    request: pb::MatchPostRequest,
    trends: Option<&TrendRecorder>,
) -> Result<pb::MatchPostResponse, Error> {
    let post: Post = request
        .post
        .ok_or_else(|| Error::invalid("post", "missing"))?
        .into();
    let options = convert::options(request.options);
    let outcome = matcher.match_post(&post, &options)?;
    let pending = Pending::new(trends, &post, &outcome);
    let answer = convert::outcome(matcher.kb(), outcome, options.include_statements);
    pending.record();
    Ok(answer)
}

/// One post, admitted like any other matching work (unary calls and each post of a stream).
/// The post holds its share of the bound until it is matched.
pub(super) async fn admit_and_match(
    matcher: &Arc<Matcher>,
    admission: &Admission,
    counters: &Arc<Counters>,
    trends: Option<&TrendRecorder>,
    request: pb::MatchPostRequest,
) -> Result<pb::MatchPostResponse, Status> {
    let admitted = admission.admit(1).await?;
    let (matcher, counters, trends) = (matcher.clone(), counters.clone(), trends.cloned());
    blocking(move || {
        let _admitted = admitted;
        let result = match_one(&matcher, request, trends.as_ref());
        counters.matched(1);
        if let Ok(answer) = &result {
            counters.answered(std::slice::from_ref(answer));
        }
        result
    })
    .await
}

/// A `MatchPosts` batch over the limit is refused before it is admitted.
pub(crate) fn check_batch_size(posts: usize) -> Result<(), Error> {
    if posts > limits::MAX_BATCH_POSTS {
        return Err(Error::invalid(
            "posts",
            format!(
                "{posts} posts is over the limit of {}",
                limits::MAX_BATCH_POSTS
            ),
        ));
    }
    Ok(())
}

/// Matches a batch in sub-batches, checking between them that the caller is still there. A
/// post that fails gets its own error entry; the others are answered.
pub(crate) fn match_batch(
    matcher: &Matcher,
    posts: Vec<pb::Post>,
    options: &MatchOptions,
    abandoned: &AtomicBool,
    counters: &Counters,
    trends: Option<&TrendRecorder>,
) -> Result<Vec<pb::MatchPostResponse>, Error> {
    options.validate()?;
    let posts: Vec<Post> = posts.into_iter().map(Post::from).collect();
    let mut results = Vec::with_capacity(posts.len());
    for chunk in posts.chunks(CANCEL_CHECK_POSTS) {
        if abandoned.load(Ordering::Relaxed) {
            return Err(Error::Cancelled(format!(
                "the caller went away after {} of {} posts",
                results.len(),
                posts.len()
            )));
        }
        let start = results.len();
        for (outcome, post) in matcher.match_posts(chunk, options).into_iter().zip(chunk) {
            let i = results.len();
            results.push(match outcome {
                Ok(outcome) => {
                    let pending = Pending::new(trends, post, &outcome);
                    let answer =
                        convert::outcome(matcher.kb(), outcome, options.include_statements);
                    pending.record();
                    answer
                }
                Err(e) => convert::failed_post(
                    matcher.kb(),
                    post.id.clone(),
                    post_error(&e.within(&format!("posts[{i}]")).into()),
                ),
            });
        }
        counters.matched(chunk.len());
        counters.answered(&results[start..]);
    }
    Ok(results)
}

type ResponseStream =
    Pin<Box<dyn Stream<Item = Result<pb::StreamMatchPostsResponse, Status>> + Send>>;

#[tonic::async_trait]
impl Counterclaim for CounterclaimService {
    #[tracing::instrument(skip_all)]
    async fn match_post(
        &self,
        request: Request<pb::MatchPostRequest>,
    ) -> Result<Response<pb::MatchPostResponse>, Status> {
        count_posts(&request, 1);
        let request = request.into_inner();
        admit_and_match(
            &self.live.snapshot(),
            &self.admission,
            &self.counters,
            self.trends.as_ref(),
            request,
        )
        .await
        .map(Response::new)
    }

    #[tracing::instrument(skip_all)]
    async fn match_posts(
        &self,
        request: Request<pb::MatchPostsRequest>,
    ) -> Result<Response<pb::MatchPostsResponse>, Status> {
        count_posts(&request, request.get_ref().posts.len());
        let request = request.into_inner();
        check_batch_size(request.posts.len())?;
        // The work holds its share of the bound until it stops, not until the caller leaves.
        let admitted = self.admission.admit(request.posts.len()).await?;
        let abandoned = Abandoned::new();
        let matcher = self.live.snapshot();
        let kb_version = matcher.kb().version().to_owned();
        let (counters, flag) = (self.counters.clone(), abandoned.flag());
        let trends = self.trends.clone();
        let options: MatchOptions = convert::options(request.options);
        let results = blocking(move || {
            let _admitted = admitted;
            match_batch(
                &matcher,
                request.posts,
                &options,
                &flag,
                &counters,
                trends.as_ref(),
            )
        })
        .await?;
        Ok(Response::new(pb::MatchPostsResponse {
            results,
            kb_version,
        }))
    }

    type StreamMatchPostsStream = ResponseStream;

    #[tracing::instrument(skip_all)]
    async fn stream_match_posts(
        &self,
        request: Request<Streaming<pb::MatchPostRequest>>,
    ) -> Result<Response<Self::StreamMatchPostsStream>, Status> {
        let slot = self.streams.take(request.remote_addr(), &self.counters)?;
        let session = Session {
            live: self.live.clone(),
            admission: self.admission.clone(),
            counters: self.counters.clone(),
            trends: self.trends.clone(),
            call: request.extensions().get::<Arc<CallInfo>>().cloned(),
            idle_timeout: self.stream_idle_timeout,
            end: self.end_streams.clone(),
        };
        let (tx, rx) = mpsc::channel(limits::STREAM_BUFFER);
        tokio::spawn(session.run(slot, request.into_inner(), tx));
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn list_narratives(
        &self,
        request: Request<pb::ListNarrativesRequest>,
    ) -> Result<Response<pb::ListNarrativesResponse>, Status> {
        Ok(Response::new(list_narratives(
            self.live.snapshot().kb(),
            &request.into_inner(),
        )?))
    }

    async fn get_narrative(
        &self,
        request: Request<pb::GetNarrativeRequest>,
    ) -> Result<Response<pb::GetNarrativeResponse>, Status> {
        Ok(Response::new(get_narrative(
            self.live.snapshot().kb(),
            request.into_inner().id,
        )?))
    }

    async fn search_narratives(
        &self,
        request: Request<pb::SearchNarrativesRequest>,
    ) -> Result<Response<pb::SearchNarrativesResponse>, Status> {
        let matcher = self.live.snapshot();
        let request = request.into_inner();
        Ok(Response::new(
            blocking(move || search_narratives(&matcher, &request)).await?,
        ))
    }

    async fn get_server_info(
        &self,
        _request: Request<pb::GetServerInfoRequest>,
    ) -> Result<Response<pb::ServerInfo>, Status> {
        let matcher = self.live.snapshot();
        Ok(Response::new(pb::ServerInfo {
            kb_version: matcher.kb().version().to_owned(),
            narratives: matcher.kb().narratives().len() as u32,
            matching_mode: matcher.mode().to_owned(),
            model_sha256: matcher.model_id().unwrap_or_default().to_owned(),
        }))
    }
}

/// A page of narratives; the page token is the position of the page's first narrative.
pub(crate) fn list_narratives(
    kb: &KnowledgeBase,
    request: &pb::ListNarrativesRequest,
) -> Result<pb::ListNarrativesResponse, Error> {
    let narratives = kb.narratives();
    let page_size = match request.page_size as usize {
        0 => limits::DEFAULT_PAGE_SIZE,
        n if n > limits::MAX_PAGE_SIZE => {
            return Err(Error::invalid(
                "page_size",
                format!("at most {}", limits::MAX_PAGE_SIZE),
            ));
        }
        n => n,
    };
    let start = match request.page_token.as_str() {
        "" => 0,
        token => token
            .parse::<usize>()
            .ok()
            .filter(|&s| s <= narratives.len())
            .ok_or_else(|| Error::invalid("page_token", "not a token from a previous response"))?,
    };
    let end = (start + page_size).min(narratives.len());
    Ok(pb::ListNarrativesResponse {
        narratives: narratives[start..end]
            .iter()
            .map(convert::summary)
            .collect(),
        next_page_token: if end < narratives.len() {
            end.to_string()
        } else {
            String::new()
        },
        total: narratives.len() as u32,
        kb_version: kb.version().to_owned(),
    })
}

pub(crate) fn get_narrative(
    kb: &KnowledgeBase,
    id: String,
) -> Result<pb::GetNarrativeResponse, Error> {
    if id.is_empty() || id.len() > limits::MAX_POST_ID_BYTES {
        return Err(Error::invalid("id", "must be a narrative id"));
    }
    let narrative = kb.narrative(&id).ok_or(Error::NotFound {
        what: "narrative",
        id,
    })?;
    Ok(pb::GetNarrativeResponse {
        narrative: Some(convert::narrative(kb, narrative)),
        kb_version: kb.version().to_owned(),
    })
}

/// Free-text narrative search; CPU work, so handlers run it on the blocking pool.
pub(crate) fn search_narratives(
    matcher: &Matcher,
    request: &pb::SearchNarrativesRequest,
) -> Result<pb::SearchNarrativesResponse, Error> {
    let hits = matcher.search(&request.query, request.max_results as usize)?;
    let kb = matcher.kb();
    Ok(pb::SearchNarrativesResponse {
        hits: hits
            .into_iter()
            .map(|h| convert::search_hit(kb, h, request.include_statements))
            .collect(),
        kb_version: kb.version().to_owned(),
    })
}

pub(crate) fn post_error(status: &Status) -> pb::PostError {
    use tonic_types::StatusExt;
    let field = status
        .get_error_details()
        .bad_request()
        .and_then(|b| b.field_violations.first().map(|v| v.field.clone()))
        .unwrap_or_default();
    pb::PostError {
        code: status.code() as i32,
        message: status.message().to_owned(),
        field,
    }
}
