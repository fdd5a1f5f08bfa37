//! Every size a client can send, bounded in one place. The README's "Limits" table and the proto
//! comments quote these numbers.

/// Longest post text, in UTF-8 bytes. Tweets are under 1 KiB; long-form posts fit.
pub const MAX_POST_TEXT_BYTES: usize = 16 * 1024;
/// Longest post id.
pub const MAX_POST_ID_BYTES: usize = 256;
/// Longest of every other post field (author, platform, url, created_at, lang).
pub const MAX_POST_FIELD_BYTES: usize = 1024;
/// Matches returned per post when the client does not say.
pub const DEFAULT_MAX_MATCHES: usize = 3;
/// Most matches a client may ask for per post.
pub const MAX_MATCHES: usize = 20;
/// Most posts in one `MatchPosts` call.
pub const MAX_BATCH_POSTS: usize = 256;
/// Longest free-text narrative search query, in bytes.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Search results when the client does not say, and the most it may ask for.
pub const DEFAULT_SEARCH_RESULTS: usize = 10;
pub const MAX_SEARCH_RESULTS: usize = 50;
/// Narratives per page when the client does not say, and the most it may ask for.
pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 200;
/// Largest gRPC message accepted, in bytes (a full batch of maximal posts fits).
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024 * 1024;
/// Most `StreamMatchPosts` streams open at once, server-wide, by default (`serve --max-streams`);
/// more get RESOURCE_EXHAUSTED.
pub const MAX_OPEN_STREAMS: usize = 256;
/// Answers a stream holds for a client that has not read them before the server stops reading
/// its posts. Small, because a client that stops reading holds them (with what it sends into
/// the HTTP/2 window) for as long as it stays: `scripts/memory.sh`.
pub const STREAM_BUFFER: usize = 8;
/// Most connections open at once by default (`serve --max-connections`); a new one beyond them
/// is closed at once.
pub const MAX_CONNECTIONS: usize = 1024;

/// Admin calls: a narrative document or ClaimReview import.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// Admin calls: an id (narrative, post) or knowledge-base version, in bytes.
pub const MAX_ID_BYTES: usize = 256;
/// Longest moderator's note on a feedback record (`SubmitFeedback.note`), in bytes.
pub const MAX_FEEDBACK_NOTE_BYTES: usize = 4 * 1024;
