//! The gRPC target: a request message as the service reads it, then the handler's own work.
//!
//! Byte mutations of a protobuf message rarely survive decoding (a length prefix no longer
//! fits), so half the mutations here are made on the decoded message instead: a string field
//! edited as text, a number set to a value at a limit, a post repeated or dropped, then encoded
//! again. Those reach validation and matching; the byte mutations exercise decoding.

use std::io;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use prost::Message;
use tonic::Status;

use super::mutate::{Rng, mutate, structured_or_bytes};
use super::targets::{fixture_posts, matcher};
use crate::grpc::pb;
use crate::grpc::{Counters, convert, service};
use crate::limits;

/// The methods a client can call with a message of its own, picked by the input's first byte.
const METHODS: u8 = 5;

/// The first byte picks the method (see [`METHODS`]), the rest is the message, decoded by prost
/// as tonic's codec does; then conversion, validation, matching (the built-in knowledge base,
/// lexical mode), conversion back, and the error's status, as the handler does them.
pub fn grpc_request(data: &[u8]) {
    let Some((&method, message)) = data.split_first() else {
        return;
    };
    let matcher = matcher();
    let kb = matcher.kb();
    let result: Result<(), crate::Error> = match method % METHODS {
        0 => pb::MatchPostRequest::decode(message)
            .map_or(Ok(()), |r| service::match_one(matcher, r, None).map(drop)),
        1 => pb::MatchPostsRequest::decode(message).map_or(Ok(()), |r| {
            service::check_batch_size(r.posts.len())?;
            let options = convert::options(r.options);
            let abandoned = AtomicBool::new(false);
            service::match_batch(matcher, r.posts, &options, &abandoned, counters(), None).map(drop)
        }),
        2 => pb::ListNarrativesRequest::decode(message)
            .map_or(Ok(()), |r| service::list_narratives(kb, &r).map(drop)),
        3 => pb::GetNarrativeRequest::decode(message)
            .map_or(Ok(()), |r| service::get_narrative(kb, r.id).map(drop)),
        _ => pb::SearchNarrativesRequest::decode(message).map_or(Ok(()), |r| {
            service::search_narratives(matcher, &r).map(drop)
        }),
    };
    if let Err(e) = result {
        let status = Status::from(e);
        let _ = service::post_error(&status);
    }
}

fn counters() -> &'static Counters {
    static COUNTERS: OnceLock<Counters> = OnceLock::new();
    COUNTERS.get_or_init(Counters::default)
}

/// Half the time a field-level edit of the decoded message, else byte edits.
pub fn mutate_request(
    rng: &mut Rng,
    input: &mut Vec<u8>,
    seeds: &[Vec<u8>],
    dictionary: &[&str],
    max_len: usize,
) {
    structured_or_bytes(rng, input, seeds, dictionary, max_len, edit_fields);
}

/// Sizes at the limits, and past them.
const NUMBERS: &[u32] = &[
    0,
    1,
    3,
    limits::MAX_MATCHES as u32,
    limits::MAX_MATCHES as u32 + 1,
    limits::MAX_SEARCH_RESULTS as u32,
    limits::MAX_SEARCH_RESULTS as u32 + 1,
    limits::MAX_PAGE_SIZE as u32,
    limits::MAX_PAGE_SIZE as u32 + 1,
    i32::MAX as u32,
    u32::MAX,
];

const SCORES: &[f32] = &[
    0.0,
    -0.0,
    1.0,
    0.5,
    1.000_001,
    -1.0,
    f32::MIN_POSITIVE,
    f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
];

const LANGS: &[&str] = &["", "en", "ES", "eN", "fr", "e", "en-US", "ｅｎ", "es\0"];

/// Decodes the message, edits one of its fields, encodes it again; `None` if it does not
/// decode.
fn edit_fields(rng: &mut Rng, input: &[u8]) -> Option<Vec<u8>> {
    let (&method, message) = input.split_first()?;
    let message = match method % METHODS {
        0 => {
            let mut r = pb::MatchPostRequest::decode(message).ok()?;
            if rng.chance(4) {
                edit_options(rng, r.options.get_or_insert_default());
            } else {
                edit_post(rng, r.post.get_or_insert_default());
            }
            r.encode_to_vec()
        }
        1 => {
            let mut r = pb::MatchPostsRequest::decode(message).ok()?;
            match rng.below(6) {
                0 => edit_options(rng, r.options.get_or_insert_default()),
                1 if !r.posts.is_empty() => {
                    let post = r.posts[rng.below(r.posts.len())].clone();
                    let copies = if rng.chance(8) {
                        limits::MAX_BATCH_POSTS
                    } else {
                        1
                    };
                    r.posts.extend(std::iter::repeat_n(post, copies));
                }
                2 if !r.posts.is_empty() => {
                    r.posts.remove(rng.below(r.posts.len()));
                }
                _ if !r.posts.is_empty() => {
                    let at = rng.below(r.posts.len());
                    edit_post(rng, &mut r.posts[at]);
                }
                _ => r.posts.push(pb::Post::default()),
            }
            r.encode_to_vec()
        }
        2 => {
            let mut r = pb::ListNarrativesRequest::decode(message).ok()?;
            if rng.chance(2) {
                r.page_size = *rng.pick(NUMBERS);
            } else {
                edit_text(rng, &mut r.page_token);
            }
            r.encode_to_vec()
        }
        3 => {
            let mut r = pb::GetNarrativeRequest::decode(message).ok()?;
            edit_text(rng, &mut r.id);
            r.encode_to_vec()
        }
        _ => {
            let mut r = pb::SearchNarrativesRequest::decode(message).ok()?;
            match rng.below(4) {
                0 => r.max_results = *rng.pick(NUMBERS),
                1 => r.include_statements ^= true,
                _ => edit_text(rng, &mut r.query),
            }
            r.encode_to_vec()
        }
    };
    Some([vec![method], message].concat())
}

fn edit_post(rng: &mut Rng, post: &mut pb::Post) {
    match rng.below(10) {
        0 => post.lang = (*rng.pick(LANGS)).to_owned(),
        1 => edit_text(rng, &mut post.id),
        2 => {
            let field = [
                &mut post.author,
                &mut post.created_at,
                &mut post.platform,
                &mut post.url,
                &mut post.lang,
            ];
            let at = rng.below(field.len());
            edit_text(rng, field.into_iter().nth(at).expect("in range"));
        }
        3 => {
            // Around the size limit.
            let limit = limits::MAX_POST_TEXT_BYTES;
            let len = limit - 2 + rng.below(4);
            let unit = if post.text.is_empty() {
                "ballots "
            } else {
                &post.text
            };
            post.text = unit.repeat(len / unit.len() + 1);
            let mut cut = len.min(post.text.len());
            while !post.text.is_char_boundary(cut) {
                cut -= 1;
            }
            post.text.truncate(cut);
        }
        _ => edit_text(rng, &mut post.text),
    }
}

fn edit_options(rng: &mut Rng, options: &mut pb::MatchOptions) {
    match rng.below(3) {
        0 => options.max_matches = *rng.pick(NUMBERS),
        1 => options.min_score = (!rng.chance(4)).then(|| *rng.pick(SCORES)),
        _ => options.include_statements ^= true,
    }
}

/// Byte edits of a string field, kept valid UTF-8 as prost requires.
fn edit_text(rng: &mut Rng, text: &mut String) {
    let mut bytes = std::mem::take(text).into_bytes();
    mutate(rng, &mut bytes, &[], &[], 2 * 1024);
    *text = String::from_utf8_lossy(&bytes).into_owned();
}

/// Seeds: every method's request built from the fixture posts and the built-in narratives.
pub fn grpc_seeds(root: &Path) -> io::Result<Vec<Vec<u8>>> {
    let posts: Vec<pb::Post> = fixture_posts(root)?
        .into_iter()
        .take(40)
        .enumerate()
        .map(|(i, text)| pb::Post {
            id: format!("p{i}"),
            text,
            lang: ["", "en", "es"][i % 3].to_owned(),
            author: "someone".to_owned(),
            created_at: "2020-10-01T12:00:00Z".to_owned(),
            platform: "twitter".to_owned(),
            url: format!("https://example.com/{i}"),
        })
        .collect();
    let options = |i: usize| {
        Some(pb::MatchOptions {
            max_matches: (i % 4) as u32,
            min_score: i.is_multiple_of(2).then_some(0.3),
            include_statements: i.is_multiple_of(3),
        })
    };
    let mut seeds = Vec::new();
    let mut push = |method: u8, message: Vec<u8>| seeds.push([vec![method], message].concat());
    for (i, post) in posts.iter().enumerate() {
        let request = pb::MatchPostRequest {
            post: Some(post.clone()),
            options: options(i),
        };
        push(0, request.encode_to_vec());
        let search = pb::SearchNarrativesRequest {
            query: post.text.clone(),
            max_results: (i % 6) as u32,
            include_statements: i.is_multiple_of(2),
        };
        push(4, search.encode_to_vec());
    }
    for (i, batch) in posts.chunks(4).enumerate() {
        let request = pb::MatchPostsRequest {
            posts: batch.to_vec(),
            options: options(i),
        };
        push(1, request.encode_to_vec());
    }
    for (page_size, page_token) in [(0, ""), (2, "2"), (1, "3")] {
        let request = pb::ListNarrativesRequest {
            page_size,
            page_token: page_token.to_owned(),
        };
        push(2, request.encode_to_vec());
    }
    for narrative in matcher().kb().narratives() {
        let request = pb::GetNarrativeRequest {
            id: narrative.id.clone(),
        };
        push(3, request.encode_to_vec());
    }
    Ok(seeds)
}
