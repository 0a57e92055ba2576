//! The server's connections: at most [`MAX_CONNECTIONS`] open at once (more are closed as
//! they arrive, so the process never runs out of file descriptors), and each closed when it
//! has waited for the other side, without a byte either way, for the idle timeout. Waiting
//! counts from the first moment the connection finds nothing to read or no room to write:
//! an idle keep-alive connection, one that never sends its request, and an event stream whose
//! page has stopped reading are all closed; a page that reads its events is never idle (the
//! stream sends a keep-alive comment well within the timeout).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// Connections open at once at most (a classroom needs a few per computer).
pub const MAX_CONNECTIONS: usize = 256;

/// A listener whose connections time out when idle.
pub struct Guarded {
    listener: TcpListener,
    idle: Duration,
    open: Arc<AtomicUsize>,
}

impl Guarded {
    pub fn new(listener: TcpListener, idle: Duration) -> Guarded {
        Guarded {
            listener,
            idle,
            open: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl axum::serve::Listener for Guarded {
    type Io = IdleStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (IdleStream, SocketAddr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, addr)) => {
                    if self.open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                        drop(stream);
                        continue;
                    }
                    self.open.fetch_add(1, Ordering::SeqCst);
                    let stream = IdleStream {
                        stream,
                        idle: self.idle,
                        timer: Box::pin(tokio::time::sleep(self.idle)),
                        waiting: false,
                        open: self.open.clone(),
                    };
                    return (stream, addr);
                }
                // E.g. no file descriptor left for now: try again shortly.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// A connection that fails with `TimedOut` once it has waited `idle` without progress.
pub struct IdleStream {
    stream: TcpStream,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
    /// Whether the connection is waiting (the timer runs from when it started to).
    waiting: bool,
    open: Arc<AtomicUsize>,
}

impl IdleStream {
    fn progress(&mut self) {
        self.waiting = false;
    }

    /// Called when the socket is not ready: starts the timer, or fails once it has run out.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if !self.waiting {
            self.waiting = true;
            self.timer.as_mut().reset(Instant::now() + self.idle);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "idle connection closed",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for IdleStream {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AsyncRead for IdleStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.progress();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.wait(cx),
        }
    }
}

impl AsyncWrite for IdleStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_write(cx, buf) {
            Poll::Ready(result) => {
                if result.as_ref().is_ok_and(|&n| n > 0) {
                    this.progress();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.wait(cx),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_flush(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.wait(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.stream).poll_shutdown(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.wait(cx),
        }
    }
}
