//! Graceful shutdown of the real process: on SIGTERM (or Ctrl-C's SIGINT) new connections are
//! refused at once, a request whose body is still arriving is finished and answered, and one
//! that does not finish is cut off when the grace runs out, not at its own time limit.

use crate::support::Process;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A start request whose body (`{}`) has sent only its first byte.
async fn half_sent(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream
        .write_all(
            b"POST /v1/testco/journeys/registration HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{",
        )
        .await
        .unwrap();
    // Let the handler start reading the body.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream
}

async fn read_all(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the connection ends")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn sigterm_refuses_new_connections_and_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::launch(dir.path(), &[]);
    server.wait_ready().await;
    let mut slow = half_sent(server.port).await;

    server.signal("TERM");
    let signalled = Instant::now();
    loop {
        match TcpStream::connect(("127.0.0.1", server.port)).await {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            // Caught in the backlog as the listener closed: never accepted; the next is refused.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => continue,
            Err(e) => panic!("{e}"),
            Ok(_) => {
                assert!(
                    signalled.elapsed() < Duration::from_secs(5),
                    "still accepting connections:\n{}",
                    server.log()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }

    // The rest of the body arrives after the listener closed: the request is answered.
    slow.write_all(b"}").await.unwrap();
    let answer = read_all(&mut slow).await;
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{answer}\n{}",
        server.log()
    );
    assert!(answer.contains("\"status\":\"active\""), "{answer}");
    let request_id = answer
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("no request id: {answer}"))
        .trim()
        .to_owned();

    let status = server.exit(Duration::from_secs(10)).await;
    assert!(status.success(), "{status}\n{}", server.log());
    let log = server.log();
    assert!(log.contains("shutting down"), "{log}");
    // The text log carries the request id too.
    assert!(log.contains(&format!("request_id={request_id}")), "{log}");
}

#[tokio::test]
async fn a_request_that_does_not_finish_is_cut_off_when_the_grace_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::launch(
        dir.path(),
        &["--shutdown-grace-secs", "1", "--body-timeout-secs", "60"],
    );
    server.wait_ready().await;
    let mut stuck = half_sent(server.port).await;

    server.signal("INT");
    let signalled = Instant::now();
    let status = server.exit(Duration::from_secs(10)).await;
    let took = signalled.elapsed();
    assert!(status.success(), "{status}\n{}", server.log());
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "exited after {took:?}, not after the 1 s grace"
    );
    assert_eq!(
        read_all(&mut stuck).await,
        "",
        "no answer, the connection closed"
    );
    assert!(
        server.log().contains("shutdown grace ran out"),
        "{}",
        server.log()
    );
}

/// A sender that takes its time, and says when it has a message in hand.
struct SlowSender {
    started: tokio::sync::mpsc::UnboundedSender<i64>,
}

#[async_trait::async_trait]
impl journey_server::outbox::Sender for SlowSender {
    async fn deliver(
        &self,
        message: &journey_store::OutboxMessage,
    ) -> Result<(), journey_server::outbox::SendError> {
        let _ = self.started.send(message.id);
        tokio::time::sleep(Duration::from_millis(500)).await;
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "slow"
    }
}

#[tokio::test]
async fn the_deliverer_finishes_the_message_in_hand_then_stops() {
    use crate::support::{Setup, fixture_tenants, spawn_with};
    let dir = tempfile::tempdir().unwrap();
    // Outside development mode, with no sender configured, nothing delivers: the message
    // waits for this test's sender.
    let server = spawn_with(Setup {
        db: &dir.path().join("j.db"),
        dev: false,
        tenants: fixture_tenants(),
    })
    .await;
    let now = journey_server::state::Clock::now(server.clock.as_ref());
    crate::delivery::enqueue(&server, "email", "slow@example.com").await;
    assert_eq!(
        server.state.store.undelivered(10, now).await.unwrap().len(),
        1
    );

    let (started, mut in_hand) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::watch::channel(None);
    let senders = journey_server::outbox::Senders::new(6).with(
        journey_engine::Channel::Email,
        std::sync::Arc::new(SlowSender { started }),
    );
    let deliverer = tokio::spawn(journey_server::outbox::deliver(
        server.state.clone(),
        std::sync::Arc::new(senders),
        stopped,
    ));
    server.state.outbox.notify_one();
    in_hand.recv().await.unwrap();
    stop.send_replace(Some(Instant::now()));
    tokio::time::timeout(Duration::from_secs(5), deliverer)
        .await
        .expect("the deliverer stops")
        .unwrap();
    assert!(
        server
            .state
            .store
            .undelivered(10, now)
            .await
            .unwrap()
            .is_empty(),
        "the message in hand was delivered and marked so before the deliverer stopped"
    );
    server.stop().await;
}
