//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1), on a fixed
//! set of worker threads fed by a queue that is fair between clients.
//!
//! Hashing is slow and memory-hungry on purpose. Each of the `parallel` workers (one per core)
//! is a plain thread started once by [`Hasher::new`] that owns one argon2 memory buffer and
//! reuses it for every job, so the process holds `parallel` × 19 MiB however many logins arrive
//! (short-lived blocking threads each kept their allocator arena's buffers: gigabytes after a
//! burst). Stored hashes keep the PHC format the `argon2` crate writes
//! (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`); a verification reads the parameters from
//! the stored string, refuses unreasonable ones (an attacker who can write a hash must not
//! choose the buffer size) and compares digests in constant time.
//!
//! Every job carries a client key (the caller's address). A client first takes a [`Ticket`],
//! which reserves a place in the queue: at most [`MAX_WAITING_PER_CLIENT`] per client and
//! [`MAX_WAITING`] in all, beyond that [`PasswordError::Busy`] at once, so a flood is refused its
//! own requests rather than delaying everyone else's. The caller takes the ticket before it
//! claims a login attempt, so a busy server never counts as a failed login. Workers serve the
//! clients in turn, one job each:
//!
//! ```text
//!  admit(client) ─► Ticket ─► verify/hash ─► client's jobs ─► turns (round robin) ─► workers
//!    │ (Busy: 8 for the client         A: a1 a2 a3 ...      [A, B, C] take one from the
//!    │  or 64 in all already wait)     B: b1                 front client, put it back at
//!    ▼                                 C: c1 c2              the end if it has more
//!  dropping an unused Ticket frees its place          ─► a1, b1, c1, a2, c2, a3, ...
//! ```
//!
//! A worker skips a job whose caller went away (nobody waits for the answer) and answers
//! [`PasswordError::Busy`] to one that waited longer than [`MAX_WAIT`]. Unknown accounts are
//! checked against a dummy hash, so a wrong password and an unknown account take the same time.
//! Rate limits before hashing are the login code's (SECURITY.md).
//!
//! The queue counts itself for [`crate::metrics`] ([`HasherMetrics`]): the places taken, how
//! long each job waited for a worker, the refusals as busy and the argon2 runs.

use argon2::password_hash::{
    Output, ParamsString, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use rand::rngs::OsRng;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Why hashing failed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// argon2 refused.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The hashing workers failed or stopped.
    #[error("password hashing task failed: {0}")]
    Task(String),
    /// Too many password checks are waiting; try again shortly.
    #[error("too many password checks are waiting")]
    Busy,
}

/// At most this many jobs of one client wait; more are told the server is busy.
pub const MAX_WAITING_PER_CLIENT: usize = 8;

/// At most this many jobs wait in all; more are told the server is busy.
pub const MAX_WAITING: usize = 64;

/// A job that waited longer than this is answered "busy" instead of being hashed.
pub const MAX_WAIT: Duration = Duration::from_secs(10);

/// The most memory a stored hash may ask for, in KiB (64 MiB).
const MAX_M_COST: u32 = 64 * 1024;

/// The most passes a stored hash may ask for.
const MAX_T_COST: u32 = 16;

/// The most lanes a stored hash may ask for.
const MAX_P_COST: u32 = 8;

fn owasp() -> Result<Params, PasswordError> {
    Params::new(19 * 1024, 2, 1, None).map_err(|e| PasswordError::Hash(e.to_string()))
}

fn argon2() -> Result<Argon2<'static>, PasswordError> {
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, owasp()?))
}

/// Hashes a password into a PHC string with the `argon2` crate's own path, allocating argon2's
/// memory for this one call. Blocking; the server hashes through [`Hasher`] instead, and the
/// bench times this.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`, with the `argon2` crate's own path.
/// Blocking; the server verifies through [`Hasher`] instead.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// What a worker is asked to do.
enum Work {
    Hash(String),
    Verify {
        password: String,
        hash: String,
    },
    /// Keeps the worker busy until the sender is dropped (tests of the queue's order).
    #[cfg(test)]
    Hold(std::sync::mpsc::Receiver<()>),
}

/// What a worker answers: the result and, for the tests, the number of its argon2 run.
enum Done {
    Hashed(String),
    Verified(bool),
    #[cfg(test)]
    Held,
}

type Reply = oneshot::Sender<Result<(Done, u64), PasswordError>>;

struct Job {
    work: Work,
    admitted: Instant,
    reply: Reply,
}

/// The places and queued jobs of one client.
#[derive(Default)]
struct Client {
    /// Tickets not yet used plus jobs in `jobs`.
    places: usize,
    jobs: VecDeque<Job>,
}

/// What the hashing queue counts, shared with the metrics registry ([`crate::metrics`]).
#[derive(Clone, Debug)]
pub struct HasherMetrics {
    /// Places taken in the queue: tickets not yet used plus jobs waiting for a worker.
    pub depth: Gauge,
    /// Seconds from a job's admission to the start of its hashing.
    pub waits: Histogram,
    /// Jobs refused as busy: the queue was full, or the job waited longer than [`MAX_WAIT`].
    pub busy: Counter,
    /// argon2 computations run.
    pub runs: Counter,
}

impl Default for HasherMetrics {
    fn default() -> Self {
        Self {
            depth: Gauge::default(),
            // 1 ms to about 16 s, doubling: a hash takes about 20 ms, MAX_WAIT is 10 s.
            waits: Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
                0.001, 2.0, 15,
            )),
            busy: Counter::default(),
            runs: Counter::default(),
        }
    }
}

/// The fair queue. Invariant: a client is in `turns` exactly when it has queued jobs, and in
/// `clients` exactly when it holds places; `places` is the sum of their places.
#[derive(Default)]
struct Queue {
    clients: HashMap<String, Client>,
    turns: VecDeque<String>,
    places: usize,
    stopped: bool,
    metrics: HasherMetrics,
}

impl Queue {
    fn reserve(&mut self, client: &str) -> Result<(), PasswordError> {
        if self.stopped {
            return Err(PasswordError::Task("the password hasher stopped".into()));
        }
        let held = self.clients.get(client).map_or(0, |c| c.places);
        if held >= MAX_WAITING_PER_CLIENT || self.places >= MAX_WAITING {
            self.metrics.busy.inc();
            return Err(PasswordError::Busy);
        }
        self.clients.entry(client.to_owned()).or_default().places += 1;
        self.places += 1;
        self.metrics.depth.set(self.places as i64);
        Ok(())
    }

    fn release(&mut self, client: &str) {
        self.places = self.places.saturating_sub(1);
        self.metrics.depth.set(self.places as i64);
        if let Some(c) = self.clients.get_mut(client) {
            c.places = c.places.saturating_sub(1);
            if c.places == 0 && c.jobs.is_empty() {
                self.clients.remove(client);
            }
        }
    }

    /// Queues a job in a place `client` reserved.
    fn push(&mut self, client: String, job: Job) {
        if self.stopped {
            // Dropping the job tells its caller that the hasher stopped.
            return;
        }
        let waiting = self.clients.entry(client.clone()).or_default();
        waiting.jobs.push_back(job);
        if waiting.jobs.len() == 1 {
            self.turns.push_back(client);
        }
    }

    /// The next client's oldest job, freeing its place.
    fn pop(&mut self) -> Option<Job> {
        while let Some(client) = self.turns.pop_front() {
            let Some(waiting) = self.clients.get_mut(&client) else {
                continue;
            };
            let Some(job) = waiting.jobs.pop_front() else {
                continue;
            };
            let more = !waiting.jobs.is_empty();
            self.release(&client);
            if more {
                self.turns.push_back(client);
            }
            return Some(job);
        }
        None
    }
}

/// What the hasher, its tickets and its workers share.
struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
    metrics: HasherMetrics,
}

impl Shared {
    /// The queue. Nothing panics while holding the lock, so a poisoned one is still consistent.
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for the next job; `None` once the hasher is gone.
    fn next(&self) -> Option<Job> {
        let mut queue = self.lock();
        loop {
            if queue.stopped {
                return None;
            }
            if let Some(job) = queue.pop() {
                return Some(job);
            }
            queue = self
                .wake
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// A reserved place in the queue for one client's job; dropping it unused frees the place.
pub struct Ticket {
    shared: Arc<Shared>,
    /// `None` once the job is queued (the queue then owns the place).
    client: Option<String>,
    admitted: Instant,
}

impl Ticket {
    /// Queues `work` in this ticket's place; the answer comes on the returned receiver.
    fn submit(mut self, work: Work) -> oneshot::Receiver<Result<(Done, u64), PasswordError>> {
        let (reply, answer) = oneshot::channel();
        if let Some(client) = self.client.take() {
            let job = Job {
                work,
                admitted: self.admitted,
                reply,
            };
            self.shared.lock().push(client, job);
            self.shared.wake.notify_one();
        }
        answer
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.shared.lock().release(&client);
        }
    }
}

/// Hashes and verifies on `parallel` worker threads with one reused argon2 buffer each, serving
/// clients in turn from a bounded queue, so a flood of password checks makes the server say
/// "busy" to the flood rather than stall everyone or grow without bound.
#[derive(Clone)]
pub struct Hasher {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    dummy: String,
}

impl Drop for Inner {
    /// The last hasher gone stops the workers; jobs still queued are answered with an error.
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.stopped = true;
        queue.clients.clear();
        queue.turns.clear();
        drop(queue);
        self.shared.wake.notify_all();
    }
}

impl Hasher {
    /// Starts `parallel` workers (at least one) at OWASP's parameters, with a fresh dummy hash.
    pub fn new(parallel: usize) -> Result<Self, PasswordError> {
        Self::start(parallel, owasp()?)
    }

    fn start(parallel: usize, params: Params) -> Result<Self, PasswordError> {
        let metrics = HasherMetrics::default();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                metrics: metrics.clone(),
                ..Queue::default()
            }),
            wake: Condvar::new(),
            metrics,
        });
        // The first worker makes the dummy hash with its own buffer before it takes jobs.
        let (dummy_tx, dummy_rx) = std::sync::mpsc::channel();
        for index in 0..parallel.max(1) {
            let shared = Arc::clone(&shared);
            let params = params.clone();
            let dummy_tx = (index == 0).then(|| dummy_tx.clone());
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || {
                    let mut memory = vec![Block::default(); params.block_count()];
                    if let Some(tx) = dummy_tx {
                        let dummy = new_hash(
                            &params,
                            "journeykit dummy password, never an account's",
                            &mut memory,
                        );
                        // The hasher stops being built if nobody waits; nothing to tell then.
                        let _ = tx.send(dummy);
                    }
                    work(&shared, &params, &mut memory);
                })
                .map_err(|e| PasswordError::Task(format!("cannot start a hashing thread: {e}")))?;
        }
        drop(dummy_tx);
        let dummy = dummy_rx
            .recv()
            .map_err(|_| PasswordError::Task("the first hashing thread stopped".into()))??;
        Ok(Self {
            inner: Arc::new(Inner { shared, dummy }),
        })
    }

    /// Reserves a place in the queue for one job of `client`, or fails with
    /// [`PasswordError::Busy`] when that client, or everyone together, already has as many
    /// waiting as allowed. Never waits.
    pub fn admit(&self, client: &str) -> Result<Ticket, PasswordError> {
        let shared = &self.inner.shared;
        shared.lock().reserve(client)?;
        Ok(Ticket {
            shared: Arc::clone(shared),
            client: Some(client.to_owned()),
            admitted: Instant::now(),
        })
    }

    /// What the queue counts, for the metrics registry.
    pub fn metrics(&self) -> &HasherMetrics {
        &self.inner.shared.metrics
    }

    /// How many hashes and verifications have run: each one is a full argon2 computation.
    pub fn runs(&self) -> u64 {
        self.inner.shared.metrics.runs.get()
    }

    /// Hashes a new password for `client`, admitting it first.
    pub async fn hash(&self, client: &str, password: String) -> Result<String, PasswordError> {
        let ticket = self.admit(client)?;
        match answer(ticket.submit(Work::Hash(password))).await? {
            Done::Hashed(hash) => Ok(hash),
            _ => Err(PasswordError::Task(
                "a hash job answered something else".into(),
            )),
        }
    }

    /// Verifies against `hash`, or against the dummy hash when there is no account, so both
    /// take the same time; always `false` without an account. Runs in the ticket's place.
    pub async fn verify(
        &self,
        ticket: Ticket,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, PasswordError> {
        let has_account = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.inner.dummy.clone());
        match answer(ticket.submit(Work::Verify { password, hash })).await? {
            Done::Verified(matches) => Ok(matches && has_account),
            _ => Err(PasswordError::Task(
                "a verify job answered something else".into(),
            )),
        }
    }
}

async fn answer(
    answer: oneshot::Receiver<Result<(Done, u64), PasswordError>>,
) -> Result<Done, PasswordError> {
    match answer.await {
        Ok(result) => result.map(|(done, _)| done),
        Err(_) => Err(PasswordError::Task("the password hasher stopped".into())),
    }
}

/// One worker: takes jobs until the hasher is gone, always hashing in `memory` when it fits.
fn work(shared: &Shared, params: &Params, memory: &mut [Block]) {
    while let Some(job) = shared.next() {
        if job.reply.is_closed() {
            continue;
        }
        let waited = job.admitted.elapsed();
        shared.metrics.waits.observe(waited.as_secs_f64());
        if waited > MAX_WAIT {
            shared.metrics.busy.inc();
            // Whether the caller still listens does not matter: it is answered either way.
            let _ = job.reply.send(Err(PasswordError::Busy));
            continue;
        }
        let result = match job.work {
            Work::Hash(password) => new_hash(params, &password, memory).map(Done::Hashed),
            Work::Verify { password, hash } => {
                Ok(Done::Verified(matches(&password, &hash, memory)))
            }
            #[cfg(test)]
            Work::Hold(release) => {
                let _ = release.recv();
                let _ = job.reply.send(Ok((Done::Held, 0)));
                continue;
            }
        };
        let run = shared.metrics.runs.inc() + 1;
        let _ = job.reply.send(result.map(|done| (done, run)));
    }
}

/// A new PHC string for `password` with a fresh salt, hashed in `memory`.
fn new_hash(
    params: &Params,
    password: &str,
    memory: &mut [Block],
) -> Result<String, PasswordError> {
    let failed = |e: argon2::password_hash::Error| PasswordError::Hash(e.to_string());
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(failed)?;
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let output = digest(&argon2, password, salt_bytes, len, memory).map_err(failed)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `hash`; a malformed hash, or one asking for
/// unreasonable parameters, never matches.
fn matches(password: &str, hash: &str, memory: &mut [Block]) -> bool {
    match check(password, hash, memory) {
        Ok(matches) => matches,
        Err(error) => {
            tracing::warn!(%error, "a stored password hash cannot be checked");
            false
        }
    }
}

fn check(
    password: &str,
    hash: &str,
    memory: &mut [Block],
) -> Result<bool, argon2::password_hash::Error> {
    use argon2::password_hash::Error;

    let parsed = PasswordHash::new(hash)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(Error::PhcStringField);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(&parsed)?;
    if params.m_cost() > MAX_M_COST || params.t_cost() > MAX_T_COST || params.p_cost() > MAX_P_COST
    {
        return Err(Error::ParamValueInvalid(
            argon2::password_hash::errors::InvalidValue::TooLong,
        ));
    }
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let computed = if params.block_count() <= memory.len() {
        digest(&argon2, password, salt_bytes, expected.len(), memory)?
    } else {
        // Parameters from before a change of policy: a buffer for this one check.
        let mut own = vec![Block::default(); params.block_count()];
        digest(&argon2, password, salt_bytes, expected.len(), &mut own)?
    };
    // `Output`'s equality is constant-time (the `subtle` crate).
    Ok(computed == expected)
}

fn digest(
    argon2: &Argon2<'_>,
    password: &str,
    salt: &[u8],
    len: usize,
    memory: &mut [Block],
) -> Result<Output, argon2::password_hash::Error> {
    Output::init_with(len, |out| {
        Ok(argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut *memory)?)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The cheapest parameters argon2 allows, for tests of the queue.
    fn quick() -> Hasher {
        Hasher::start(1, Params::new(8, 1, 1, None).unwrap()).unwrap()
    }

    /// Occupies the only worker until the returned sender is dropped.
    async fn hold(hasher: &Hasher) -> std::sync::mpsc::Sender<()> {
        let (release, held) = std::sync::mpsc::channel();
        let answer = hasher.admit("holder").unwrap().submit(Work::Hold(held));
        // The worker has taken the hold once its place is free again.
        while hasher.inner.shared.lock().places > 0 {
            tokio::task::yield_now().await;
        }
        drop(answer);
        release
    }

    fn verify_job(
        hasher: &Hasher,
        client: &str,
    ) -> oneshot::Receiver<Result<(Done, u64), PasswordError>> {
        let work = Work::Verify {
            password: "pw".into(),
            hash: hasher.inner.dummy.clone(),
        };
        hasher.admit(client).unwrap().submit(work)
    }

    async fn run_number(job: oneshot::Receiver<Result<(Done, u64), PasswordError>>) -> u64 {
        job.await.unwrap().unwrap().1
    }

    #[tokio::test]
    async fn an_unknown_account_costs_a_full_verification_and_never_matches() {
        let hasher = Hasher::new(1).unwrap();
        let stored = hasher
            .hash("a", "violet tractor under the bridge".into())
            .await
            .unwrap();
        let before = hasher.runs();
        let known = hasher
            .verify(
                hasher.admit("a").unwrap(),
                "violet tractor under the bridge".into(),
                Some(stored),
            )
            .await;
        let unknown = hasher
            .verify(
                hasher.admit("a").unwrap(),
                "journeykit dummy password, never an account's".into(),
                None,
            )
            .await;
        assert!(known.unwrap());
        assert!(
            !unknown.unwrap(),
            "even the dummy's own password does not log in"
        );
        assert_eq!(
            hasher.runs() - before,
            2,
            "the unknown account was checked against the dummy hash"
        );
    }

    #[tokio::test]
    async fn hashes_stay_compatible_with_the_argon2_crates_own_format() {
        let hasher = Hasher::new(1).unwrap();
        let new = hasher.hash("a", "new style password".into()).await.unwrap();
        assert!(new.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{new}");
        assert!(verify_password("new style password", &new));
        assert!(!verify_password("another password", &new));

        let old = hash_password("old style password").unwrap();
        let ticket = || hasher.admit("a").unwrap();
        let right = hasher.verify(ticket(), "old style password".into(), Some(old.clone()));
        assert!(right.await.unwrap());
        let wrong = hasher.verify(ticket(), "old style passwort".into(), Some(old));
        assert!(!wrong.await.unwrap());
    }

    #[tokio::test]
    async fn other_parameters_verify_and_unreasonable_ones_are_refused() {
        let hasher = quick();
        let cheap = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(16, 1, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut OsRng);
        let stored = cheap.hash_password(b"pw", &salt).unwrap().to_string();
        let ok = hasher.verify(
            hasher.admit("a").unwrap(),
            "pw".into(),
            Some(stored.clone()),
        );
        assert!(
            ok.await.unwrap(),
            "a larger buffer than the worker's is allocated for it"
        );

        let huge = stored.replace("m=16", "m=1048576");
        let before = hasher.runs();
        let refused = hasher.verify(hasher.admit("a").unwrap(), "pw".into(), Some(huge));
        assert!(!refused.await.unwrap());
        let garbage = hasher.verify(hasher.admit("a").unwrap(), "pw".into(), Some("x".into()));
        assert!(!garbage.await.unwrap());
        assert_eq!(
            hasher.runs() - before,
            2,
            "refusals still count as a verification"
        );
    }

    #[tokio::test]
    async fn clients_take_turns() {
        let hasher = quick();
        let release = hold(&hasher).await;
        let a: Vec<_> = (0..MAX_WAITING_PER_CLIENT)
            .map(|_| verify_job(&hasher, "A"))
            .collect();
        let b = verify_job(&hasher, "B");
        drop(release);
        let b = run_number(b).await;
        let mut a_runs = Vec::new();
        for job in a {
            a_runs.push(run_number(job).await);
        }
        assert!(
            a_runs.windows(2).all(|w| w[0] < w[1]),
            "one client's jobs keep their order"
        );
        assert!(
            b < a_runs[1],
            "B's only job runs right after A's first, not behind A's eight: {b} vs {a_runs:?}"
        );
    }

    #[tokio::test]
    async fn one_client_at_its_cap_is_busy_while_another_is_admitted() {
        let hasher = quick();
        let a: Vec<_> = (0..MAX_WAITING_PER_CLIENT)
            .map(|_| hasher.admit("A").unwrap())
            .collect();
        assert!(matches!(hasher.admit("A"), Err(PasswordError::Busy)));
        let b = hasher.admit("B").unwrap();
        drop(a.into_iter().next());
        assert!(
            hasher.admit("A").is_ok(),
            "a dropped ticket frees its place"
        );
        drop(b);
    }

    #[tokio::test]
    async fn the_queue_as_a_whole_is_capped() {
        let hasher = quick();
        let tickets: Vec<_> = (0..MAX_WAITING)
            .map(|i| hasher.admit(&format!("client {}", i % 8)).unwrap())
            .collect();
        assert!(matches!(hasher.admit("newcomer"), Err(PasswordError::Busy)));
        drop(tickets);
        assert!(hasher.admit("newcomer").is_ok());
        assert_eq!(
            hasher.inner.shared.lock().places,
            0,
            "the dropped tickets freed their places"
        );
    }

    #[tokio::test]
    async fn a_job_nobody_waits_for_is_skipped() {
        let hasher = quick();
        let release = hold(&hasher).await;
        drop(verify_job(&hasher, "A"));
        let kept = verify_job(&hasher, "A");
        let before = hasher.runs();
        drop(release);
        run_number(kept).await;
        assert_eq!(hasher.runs() - before, 1, "only the job with a caller ran");
    }

    #[tokio::test]
    async fn a_job_that_waited_too_long_is_busy() {
        let hasher = quick();
        let mut ticket = hasher.admit("A").unwrap();
        ticket.admitted = Instant::now().checked_sub(MAX_WAIT * 2).unwrap();
        let before = hasher.runs();
        let late = hasher.verify(ticket, "pw".into(), None).await;
        assert!(matches!(late, Err(PasswordError::Busy)));
        assert_eq!(hasher.runs(), before);
    }
}
