//! The load itself, apart from the command line so that an integration test can drive a test
//! server with it: closed-loop callers that send one call after another (slow ones pausing after
//! each answer, or streams that never read theirs), or an open-loop schedule of `MatchPost` calls
//! at a fixed rate whatever the answers; and the tally of what came back.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use hdrhistogram::Histogram;
use tokio::sync::{Semaphore, mpsc};
use tokio::time::MissedTickBehavior;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Channel;
use tonic::{Code, Streaming};

pub type Client = CounterclaimClient<Channel>;

/// Longest latency the histograms hold, in microseconds; longer ones are recorded as this.
const LONGEST_US: u64 = 300_000_000;

/// What came back. Latencies are in microseconds.
pub struct Tally {
    /// Calls (or streamed posts) sent.
    pub sent: u64,
    /// `StreamMatchPosts` streams the server opened (a refused one is counted by its code).
    pub streams: u64,
    /// Open loop: calls due but not sent, because `max_in_flight` calls were already waiting.
    pub not_sent: u64,
    /// Calls answered OK.
    pub accepted: Histogram<u64>,
    /// Calls turned away with RESOURCE_EXHAUSTED, the server's deliberate shedding.
    pub rejected: Histogram<u64>,
    /// Every other failure, by code.
    pub errors: BTreeMap<String, u64>,
}

impl Default for Tally {
    fn default() -> Self {
        let histogram = || Histogram::new_with_bounds(1, LONGEST_US, 3).expect("valid bounds");
        Self {
            sent: 0,
            streams: 0,
            not_sent: 0,
            accepted: histogram(),
            rejected: histogram(),
            errors: BTreeMap::new(),
        }
    }
}

impl Tally {
    fn record(&mut self, outcome: Result<(), Code>, took: Duration) {
        let micros = u64::try_from(took.as_micros()).unwrap_or(LONGEST_US);
        match outcome {
            Ok(()) => self.accepted.saturating_record(micros),
            Err(Code::ResourceExhausted) => self.rejected.saturating_record(micros),
            Err(code) => *self.errors.entry(format!("{code:?}")).or_default() += 1,
        }
    }

    /// Failures other than RESOURCE_EXHAUSTED.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    fn counts(&self) -> (u64, u64, u64, u64) {
        let (sent, ok, rejected) = (self.sent, self.accepted.len(), self.rejected.len());
        (sent, ok, rejected, self.error_count())
    }
}

type Shared = Arc<Mutex<Tally>>;

fn lock(tally: &Shared) -> std::sync::MutexGuard<'_, Tally> {
    tally.lock().unwrap_or_else(PoisonError::into_inner)
}

fn take(tally: Shared) -> Tally {
    std::mem::take(&mut *lock(&tally))
}

/// An open-loop schedule: `rate` calls a second for `duration`, sent whether or not earlier
/// calls were answered, as independent users would, so an overloaded server cannot slow the
/// load down (a closed loop measures capacity; an open loop measures what happens beyond it).
pub struct OpenLoop {
    pub rate: f64,
    pub duration: Duration,
    /// Calls waiting for an answer at most; a call due beyond them is counted as not sent.
    pub max_in_flight: usize,
    /// Print a progress line on stderr this often.
    pub progress: Option<Duration>,
}

/// Sends `MatchPost` calls on `plan`'s schedule over `clients` in turn, then waits for the calls
/// still in flight (each is bounded by its channel's timeout).
pub async fn open_loop(clients: &[Client], posts: Arc<Vec<String>>, plan: &OpenLoop) -> Tally {
    let tally = Shared::default();
    let slots = Arc::new(Semaphore::new(plan.max_in_flight));
    let start = Instant::now();
    // Every millisecond, send the calls the schedule says are due by now.
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut progress = Progress::new(plan.progress);
    let mut scheduled = 0u64;
    loop {
        tick.tick().await;
        let elapsed = start.elapsed().min(plan.duration);
        let due = (elapsed.as_secs_f64() * plan.rate) as u64;
        for i in scheduled..due {
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                lock(&tally).not_sent += 1;
                continue;
            };
            lock(&tally).sent += 1;
            let mut client = clients[i as usize % clients.len()].clone();
            let request = request(&posts, i as usize);
            let tally = tally.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let outcome = client.match_post(request).await;
                let outcome = outcome.map(drop).map_err(|status| status.code());
                lock(&tally).record(outcome, started.elapsed());
                drop(slot);
            });
        }
        scheduled = due;
        progress.maybe_print(start, &tally);
        if elapsed >= plan.duration {
            break;
        }
    }
    let all = u32::try_from(plan.max_in_flight).unwrap_or(u32::MAX);
    let _ = slots.acquire_many(all).await;
    take(tally)
}

#[derive(Clone, Copy)]
pub enum Rpc {
    Unary,
    /// `StreamMatchPosts`, one post in flight.
    Stream,
    /// `StreamMatchPosts` whose client sends posts as fast as the server takes them and never
    /// reads an answer, as a client that stopped reading would; `sent` counts the posts sent.
    UnreadStream,
}

/// A closed loop: one caller per client, each sending its next call (or streamed post) as soon
/// as the last is answered, or `pace` later (slow clients), until `duration` has passed.
pub struct ClosedLoop {
    pub rpc: Rpc,
    pub duration: Duration,
    /// How long each caller waits after an answer before its next call or post (zero: none).
    pub pace: Duration,
    /// Print a progress line on stderr this often.
    pub progress: Option<Duration>,
}

/// Runs `plan` over `clients`; without a pace, the throughput it reaches is the server's capacity.
pub async fn closed_loop(clients: &[Client], posts: Arc<Vec<String>>, plan: &ClosedLoop) -> Tally {
    let tally = Shared::default();
    let start = Instant::now();
    let deadline = start + plan.duration;
    let (rpc, pace) = (plan.rpc, plan.pace);
    let mut callers = Vec::new();
    for (offset, client) in clients.iter().enumerate() {
        let (client, posts, tally) = (client.clone(), posts.clone(), tally.clone());
        callers.push(tokio::spawn(async move {
            match rpc {
                Rpc::Unary => unary_caller(client, posts, offset, deadline, pace, tally).await,
                Rpc::Stream => stream_caller(client, posts, offset, deadline, pace, tally).await,
                Rpc::UnreadStream => unread_caller(client, posts, offset, deadline, tally).await,
            }
        }));
    }
    let mut progress = Progress::new(plan.progress);
    while callers.iter().any(|caller| !caller.is_finished()) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        progress.maybe_print(start, &tally);
    }
    take(tally)
}

fn request(posts: &[String], i: usize) -> pb::MatchPostRequest {
    pb::MatchPostRequest {
        post: Some(pb::Post {
            id: i.to_string(),
            text: posts[i % posts.len()].clone(),
            ..Default::default()
        }),
        options: None,
    }
}

/// After an answer, a slow client waits `pace` before its next call or post (not past the end).
async fn pause(pace: Duration, deadline: Instant) {
    if !pace.is_zero() {
        tokio::time::sleep_until((Instant::now() + pace).min(deadline).into()).await;
    }
}

async fn unary_caller(
    mut client: Client,
    posts: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
    pace: Duration,
    tally: Shared,
) {
    let mut i = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        let outcome = client.match_post(request(&posts, i)).await;
        let outcome = outcome.map(drop).map_err(|status| status.code());
        {
            let mut tally = lock(&tally);
            tally.sent += 1;
            tally.record(outcome, started.elapsed());
        }
        i += 1;
        pause(pace, deadline).await;
    }
}

/// Opens a stream fed by the sender it returns, and counts it (or the code that refused it).
async fn open_stream(
    client: &mut Client,
    tally: &Shared,
) -> Option<(
    mpsc::Sender<pb::MatchPostRequest>,
    Streaming<pb::StreamMatchPostsResponse>,
)> {
    let started = Instant::now();
    let (tx, rx) = mpsc::channel(1);
    match client.stream_match_posts(ReceiverStream::new(rx)).await {
        Ok(answers) => {
            lock(tally).streams += 1;
            Some((tx, answers.into_inner()))
        }
        Err(status) => {
            lock(tally).record(Err(status.code()), started.elapsed());
            None
        }
    }
}

/// One post in flight on the stream, so latency is measured per post.
async fn stream_caller(
    mut client: Client,
    posts: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
    pace: Duration,
    tally: Shared,
) {
    let Some((tx, mut answers)) = open_stream(&mut client, &tally).await else {
        return;
    };
    let mut i = offset;
    while Instant::now() < deadline {
        let started = Instant::now();
        if tx.send(request(&posts, i)).await.is_err() {
            break;
        }
        lock(&tally).sent += 1;
        let outcome = match answers.next().await {
            Some(Ok(answer)) => match answer.outcome {
                Some(pb::stream_match_posts_response::Outcome::Error(e)) => Err(Code::from(e.code)),
                _ => Ok(()),
            },
            Some(Err(status)) => Err(status.code()),
            None => Err(Code::Unknown),
        };
        let ended = matches!(outcome, Err(code) if code != Code::ResourceExhausted);
        lock(&tally).record(outcome, started.elapsed());
        if ended {
            break;
        }
        i += 1;
        pause(pace, deadline).await;
    }
}

/// A stream that sends posts as fast as the server takes them (HTTP/2 flow control holds them
/// back once it stops reading) until `deadline`, and never reads an answer.
async fn unread_caller(
    mut client: Client,
    posts: Arc<Vec<String>>,
    offset: usize,
    deadline: Instant,
    tally: Shared,
) {
    let Some((tx, _unread)) = open_stream(&mut client, &tally).await else {
        return;
    };
    let mut i = offset;
    while let Ok(Ok(())) =
        tokio::time::timeout_at(deadline.into(), tx.send(request(&posts, i))).await
    {
        lock(&tally).sent += 1;
        i += 1;
    }
}

/// A line on stderr every so often: what was sent and answered so far, and in the last interval.
struct Progress {
    every: Option<Duration>,
    last_at: Duration,
    last: (u64, u64, u64, u64),
}

impl Progress {
    fn new(every: Option<Duration>) -> Self {
        Self {
            every,
            last_at: Duration::ZERO,
            last: (0, 0, 0, 0),
        }
    }

    fn maybe_print(&mut self, start: Instant, tally: &Shared) {
        let Some(every) = self.every else { return };
        let now = start.elapsed();
        if now < self.last_at + every {
            return;
        }
        let (sent, ok, rejected, errors) = lock(tally).counts();
        let seconds = (now - self.last_at).as_secs_f64();
        let per_second = |n: u64, before: u64| (n - before) as f64 / seconds;
        eprintln!(
            "t={:.0}s sent={sent} ok={ok} resource_exhausted={rejected} errors={errors} \
             | last {:.0}s: sent/s={:.1} ok/s={:.1} rejected/s={:.1}",
            now.as_secs_f64(),
            seconds,
            per_second(sent, self.last.0),
            per_second(ok, self.last.1),
            per_second(rejected, self.last.2),
        );
        self.last_at = now;
        self.last = (sent, ok, rejected, errors);
    }
}
