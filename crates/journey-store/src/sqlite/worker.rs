//! The SQLite connection's thread: it takes the calls queued for the store's one connection and
//! runs them in batches. The first call that comes and every call queued behind it, up to
//! [`BATCH`], share one immediate transaction, each in a savepoint of its own (a failing or
//! panicking call undoes only itself); their callers hear back once that transaction is over,
//! never before the commit that holds their writes. When the store is gone, the queue closes,
//! the checkpoint thread stops and the connection closes last, folding its log in.

use super::checkpoint::{self, Checkpointer};
use super::{Cached, Failure, Sql};
use crate::StoreError;
use rusqlite::Connection;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// A call waiting for the connection: it runs, and answers its caller once its transaction is
/// over.
trait Call: Send {
    /// Runs the call's work; true when it failed (its writes are then to be rolled back).
    fn run(&mut self, connection: &mut Connection) -> bool;
    /// Answers the caller: with what the work gave, or with `lost` when the transaction that
    /// held its writes did not commit. A call that never ran is answered with `lost`.
    fn answer(self: Box<Self>, lost: Option<StoreError>);
}

/// A call of [`SqliteStore::with`]: its work until it runs, then its result until answered.
struct Pending<T, F> {
    work: Option<F>,
    result: Option<Result<T, StoreError>>,
    answer: tokio::sync::oneshot::Sender<Result<T, StoreError>>,
    calls: Arc<AtomicUsize>,
}

impl<T, F> Call for Pending<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> Sql<T> + Send + 'static,
{
    fn run(&mut self, connection: &mut Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        // A panicking call fails alone (its savepoint rolls back); the thread goes on.
        let result = catch_unwind(AssertUnwindSafe(|| work(connection)))
            .map_err(|_| StoreError::Task("a database call panicked".into()))
            .and_then(|r| r.map_err(Failure::into_store));
        let failed = result.is_err();
        self.result = Some(result);
        failed
    }

    fn answer(self: Box<Self>, lost: Option<StoreError>) {
        self.calls.fetch_sub(1, Ordering::Relaxed);
        let result = match (self.result, lost) {
            // A call's own failure says more than the transaction's.
            (Some(Err(e)), _) => Err(e),
            (_, Some(lost)) => Err(lost),
            (Some(ok), None) => ok,
            (None, None) => Err(StoreError::Task("the database call did not run".into())),
        };
        let _ = self.answer.send(result);
    }
}

/// A call queued for the connection's thread.
type Job = Box<dyn Call>;

/// At most this many queued calls share one transaction.
const BATCH: usize = 32;

/// The connection's thread: takes the first call that comes and every call queued behind it,
/// up to [`BATCH`], and runs them in one transaction, until the queue closes.
/// Between two transactions it restarts the log when the checkpoint thread wants it.
fn serve(mut connection: Connection, queue: mpsc::Receiver<Job>, restart: Arc<AtomicBool>) {
    while let Ok(first) = queue.recv() {
        let mut batch: VecDeque<Job> = std::iter::once(first)
            .chain(queue.try_iter().take(BATCH - 1))
            .collect();
        while !batch.is_empty() {
            run_batch(&mut connection, &mut batch);
            checkpoint::restart(&connection, &restart);
        }
    }
}

/// Runs calls from the front of `batch` in one immediate transaction and answers them when it
/// is over. A call alone runs in the transaction itself; several run each in a savepoint, rolled
/// back when it fails. If the database rolls the whole transaction back on its own (a full disk,
/// an I/O error), the calls that ran in it are told and the rest stay in `batch` for the next.
fn run_batch(c: &mut Connection, batch: &mut VecDeque<Job>) {
    let lost = |e: &rusqlite::Error| StoreError::Database(e.to_string());
    if let Err(e) = c.run("BEGIN IMMEDIATE", []) {
        // The write lock could not be had within the busy timeout (another process held it).
        for call in batch.drain(..) {
            call.answer(Some(lost(&e)));
        }
        return;
    }
    let alone = batch.len() == 1;
    let mut ran: Vec<Job> = Vec::with_capacity(batch.len());
    let mut failed_alone = false;
    while let Some(mut call) = batch.pop_front() {
        if alone {
            failed_alone = call.run(c);
        } else if let Err(e) = c.run("SAVEPOINT call", []) {
            call.answer(Some(lost(&e)));
            continue;
        } else if call.run(c) && !c.is_autocommit() {
            let _ = c.run("ROLLBACK TO call", []);
        }
        ran.push(call);
        if c.is_autocommit() {
            let gone = "the database rolled the transaction back";
            for call in ran {
                call.answer(Some(StoreError::Database(gone.into())));
            }
            return;
        }
        if !alone && let Err(e) = c.run("RELEASE call", []) {
            // Without its savepoint released the transaction cannot go on safely.
            let _ = c.run("ROLLBACK", []);
            for call in ran {
                call.answer(Some(lost(&e)));
            }
            return;
        }
    }
    let end = if failed_alone { "ROLLBACK" } else { "COMMIT" };
    match c.run(end, []) {
        Ok(_) => ran.into_iter().for_each(|call| call.answer(None)),
        Err(e) => {
            let _ = c.run("ROLLBACK", []);
            for call in ran {
                call.answer(Some(lost(&e)));
            }
        }
    }
}

/// The connection's thread and its queue. Once the last clone of the store is gone, the queue
/// closes and the drop waits for the thread to close the connection, so that the file is
/// complete (its write-ahead log folded in) when the store is: a copy or a reopen right after
/// sees everything.
pub(super) struct Worker {
    /// Stopped first, so that the connection closes last and folds the log in.
    checkpointer: Option<Checkpointer>,
    jobs: Option<mpsc::Sender<Job>>,
    /// Calls sent and not yet finished: the one running, if any, and those queued behind it.
    calls: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        drop(self.checkpointer.take());
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}

impl Worker {
    /// Starts the thread that owns `connection`, beside the `checkpointer` of its file.
    pub(super) fn start(
        connection: Connection,
        checkpointer: Checkpointer,
    ) -> Result<Self, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let restart = checkpointer.restart_wanted();
        let thread = std::thread::Builder::new()
            .name("journey-store-sqlite".into())
            .spawn(move || serve(connection, queue, restart))
            .map_err(|e| StoreError::Task(format!("cannot start the database thread: {e}")))?;
        Ok(Self {
            checkpointer: Some(checkpointer),
            jobs: Some(jobs),
            calls: Arc::default(),
            thread: Some(thread),
        })
    }

    /// Calls sent and not yet finished: the one running, if any, and those queued behind it.
    pub(super) fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    /// Runs `work` with the connection, after the calls queued before it, as one atomic call.
    pub(super) async fn call<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Sql<T> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(Pending {
            work: Some(work),
            result: None,
            answer,
            calls: self.calls.clone(),
        });
        let stopped = || StoreError::Task("the database thread has stopped".into());
        let jobs = self.jobs.as_ref().ok_or_else(stopped)?;
        self.calls.fetch_add(1, Ordering::Relaxed);
        if jobs.send(job).is_err() {
            self.calls.fetch_sub(1, Ordering::Relaxed);
            return Err(stopped());
        }
        answered.await.map_err(|_| stopped())?
    }
}
