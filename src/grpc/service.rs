//! The `counterclaim.v1.Counterclaim` handlers: validate, convert, call the matcher, convert
//! back. Matching runs on the blocking pool so a large batch never stalls the async runtime.

use std::pin::Pin;
use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc};
use tokio_stream::{Stream, StreamExt, wrappers::ReceiverStream};
use tonic::{Request, Response, Status, Streaming};

use super::convert;
use super::pb::{self, counterclaim_server::Counterclaim};
use crate::matcher::{MatchOptions, Matcher, Post};
use crate::{Error, limits};

pub struct CounterclaimService {
    matcher: Arc<Matcher>,
    open_streams: Arc<Semaphore>,
}

impl CounterclaimService {
    pub fn new(matcher: Arc<Matcher>) -> Self {
        Self {
            matcher,
            open_streams: Arc::new(Semaphore::new(limits::MAX_OPEN_STREAMS)),
        }
    }

    fn kb_version(&self) -> String {
        self.matcher.kb().version().to_owned()
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

fn match_one(
    matcher: &Matcher,
    request: pb::MatchPostRequest,
) -> Result<pb::MatchPostResponse, Error> {
    let post: Post = request
        .post
        .ok_or_else(|| Error::invalid("post", "missing"))?
        .into();
    let options = convert::options(request.options);
    let outcome = matcher.match_post(&post, &options)?;
    Ok(convert::outcome(
        matcher.kb(),
        outcome,
        options.include_statements,
    ))
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
        let matcher = self.matcher.clone();
        let request = request.into_inner();
        blocking(move || match_one(&matcher, request))
            .await
            .map(Response::new)
    }

    #[tracing::instrument(skip_all)]
    async fn match_posts(
        &self,
        request: Request<pb::MatchPostsRequest>,
    ) -> Result<Response<pb::MatchPostsResponse>, Status> {
        let request = request.into_inner();
        if request.posts.len() > limits::MAX_BATCH_POSTS {
            return Err(Error::invalid(
                "posts",
                format!(
                    "{} posts is over the limit of {}",
                    request.posts.len(),
                    limits::MAX_BATCH_POSTS
                ),
            )
            .into());
        }
        let matcher = self.matcher.clone();
        let options: MatchOptions = convert::options(request.options);
        let results = blocking(move || {
            options.validate()?;
            let posts: Vec<Post> = request.posts.into_iter().map(Post::from).collect();
            (matcher
                .match_posts(&posts, &options)
                .into_iter()
                .enumerate())
            .map(|(i, outcome)| {
                let outcome = outcome.map_err(|e| e.within(&format!("posts[{i}]")))?;
                Ok(convert::outcome(
                    matcher.kb(),
                    outcome,
                    options.include_statements,
                ))
            })
            .collect::<Result<Vec<_>, Error>>()
        })
        .await?;
        Ok(Response::new(pb::MatchPostsResponse {
            results,
            kb_version: self.kb_version(),
        }))
    }

    type StreamMatchPostsStream = ResponseStream;

    #[tracing::instrument(skip_all)]
    async fn stream_match_posts(
        &self,
        request: Request<Streaming<pb::MatchPostRequest>>,
    ) -> Result<Response<Self::StreamMatchPostsStream>, Status> {
        let permit = self.open_streams.clone().try_acquire_owned().map_err(|_| {
            Error::Busy(format!(
                "{} streams are open; retry later",
                limits::MAX_OPEN_STREAMS
            ))
        })?;
        let mut inbound = request.into_inner();
        let matcher = self.matcher.clone();
        let (tx, rx) = mpsc::channel(limits::STREAM_BUFFER);
        tokio::spawn(async move {
            let _permit = permit;
            // One post at a time keeps responses in request order.
            while let Some(next) = inbound.next().await {
                let reply = match next {
                    Err(status) => Err(status),
                    Ok(request) => {
                        let post_id = request
                            .post
                            .as_ref()
                            .map(|p| p.id.clone())
                            .unwrap_or_default();
                        let m = matcher.clone();
                        let outcome = match blocking(move || match_one(&m, request)).await {
                            Ok(result) => pb::stream_match_posts_response::Outcome::Result(result),
                            Err(status) => {
                                pb::stream_match_posts_response::Outcome::Error(post_error(&status))
                            }
                        };
                        Ok(pb::StreamMatchPostsResponse {
                            post_id,
                            outcome: Some(outcome),
                        })
                    }
                };
                let stop = reply.is_err();
                if tx.send(reply).await.is_err() || stop {
                    break;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn list_narratives(
        &self,
        request: Request<pb::ListNarrativesRequest>,
    ) -> Result<Response<pb::ListNarrativesResponse>, Status> {
        let request = request.into_inner();
        let narratives = self.matcher.kb().narratives();
        let page_size = match request.page_size as usize {
            0 => limits::DEFAULT_PAGE_SIZE,
            n if n > limits::MAX_PAGE_SIZE => {
                return Err(Error::invalid(
                    "page_size",
                    format!("at most {}", limits::MAX_PAGE_SIZE),
                )
                .into());
            }
            n => n,
        };
        let start = match request.page_token.as_str() {
            "" => 0,
            token => token
                .parse::<usize>()
                .ok()
                .filter(|&s| s <= narratives.len())
                .ok_or_else(|| {
                    Error::invalid("page_token", "not a token from a previous response")
                })?,
        };
        let end = (start + page_size).min(narratives.len());
        Ok(Response::new(pb::ListNarrativesResponse {
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
            kb_version: self.kb_version(),
        }))
    }

    async fn get_narrative(
        &self,
        request: Request<pb::GetNarrativeRequest>,
    ) -> Result<Response<pb::GetNarrativeResponse>, Status> {
        let id = request.into_inner().id;
        if id.is_empty() || id.len() > limits::MAX_POST_ID_BYTES {
            return Err(Error::invalid("id", "must be a narrative id").into());
        }
        let kb = self.matcher.kb();
        let narrative = kb.narrative(&id).ok_or(Error::NotFound {
            what: "narrative",
            id,
        })?;
        Ok(Response::new(pb::GetNarrativeResponse {
            narrative: Some(convert::narrative(kb, narrative)),
            kb_version: self.kb_version(),
        }))
    }

    async fn search_narratives(
        &self,
        request: Request<pb::SearchNarrativesRequest>,
    ) -> Result<Response<pb::SearchNarrativesResponse>, Status> {
        let request = request.into_inner();
        let matcher = self.matcher.clone();
        let with_statements = request.include_statements;
        let hits =
            blocking(move || matcher.search(&request.query, request.max_results as usize)).await?;
        let kb = self.matcher.kb();
        Ok(Response::new(pb::SearchNarrativesResponse {
            hits: hits
                .into_iter()
                .map(|h| convert::search_hit(kb, h, with_statements))
                .collect(),
            kb_version: self.kb_version(),
        }))
    }

    async fn get_server_info(
        &self,
        _request: Request<pb::GetServerInfoRequest>,
    ) -> Result<Response<pb::ServerInfo>, Status> {
        let matcher = &self.matcher;
        Ok(Response::new(pb::ServerInfo {
            kb_version: self.kb_version(),
            narratives: matcher.kb().narratives().len() as u32,
            matching_mode: matcher.mode().to_owned(),
            model_sha256: matcher.model_id().unwrap_or_default().to_owned(),
        }))
    }
}

fn post_error(status: &Status) -> pb::PostError {
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
