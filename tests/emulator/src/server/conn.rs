//! One TCP connection under hyper, with the two levers the fault modes need
//! that an HTTP server does not offer: close the connection once what was
//! written so far is on the wire (`truncate`: a body shorter than its
//! `Content-Length`), or drop it without writing anything (`hang`: no
//! response at all).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// The levers of one connection, handed to its requests (as a request
/// extension) so a reply can pull them.
#[derive(Clone, Default)]
pub(super) struct ConnControl(Arc<Levers>);

#[derive(Default)]
struct Levers {
    close_when_flushed: AtomicBool,
    abort: AtomicBool,
}

impl ConnControl {
    /// Closes the connection as soon as hyper has written out everything it
    /// holds: the client gets those bytes, then the end of the stream.
    pub(super) fn close_when_flushed(&self) {
        self.0.close_when_flushed.store(true, Ordering::SeqCst);
    }

    /// Fails every further write, so hyper drops the connection without
    /// sending the response it is about to write.
    pub(super) fn abort(&self) {
        self.0.abort.store(true, Ordering::SeqCst);
    }
}

/// A TCP stream whose writes obey its [`ConnControl`].
pub(super) struct ConnIo {
    stream: TcpStream,
    control: ConnControl,
}

impl ConnIo {
    pub(super) fn new(stream: TcpStream) -> (Self, ConnControl) {
        let control = ConnControl::default();
        let io = Self {
            stream,
            control: control.clone(),
        };
        (io, control)
    }

    fn aborted(&self) -> bool {
        self.control.0.abort.load(Ordering::SeqCst)
    }
}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "closed by a fault")
}

impl AsyncRead for ConnIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.aborted() {
            return Poll::Ready(Err(closed()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.aborted() {
            return Poll::Ready(Err(closed()));
        }
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    /// hyper flushes the transport only once its own buffer is empty, so
    /// this is the moment everything written so far is on its way.
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(Pin::new(&mut self.stream).poll_flush(cx))?;
        if self.control.0.close_when_flushed.load(Ordering::SeqCst) {
            ready!(Pin::new(&mut self.stream).poll_shutdown(cx))?;
            // The error ends hyper's connection, which drops the socket.
            return Poll::Ready(Err(closed()));
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
