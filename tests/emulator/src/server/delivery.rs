//! How a [`Reply`] goes onto the wire: an axum response, its body streamed
//! for the broken deliveries of the fault modes, so they fail in a browser
//! as a bad network does (a download cut short, one that stalls, one that
//! dribbles, a request never answered).

use super::conn::ConnControl;
use super::reply::{Delivery, Reply};
use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Response, StatusCode};
use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::sleep;

/// Upper bound for `fault=hang` (and a stalled download), so a forgotten
/// request cannot pin a connection.
const HANG_LIMIT: Duration = Duration::from_secs(60);
/// `fault=slow` writes this many bytes per step...
const SLOW_CHUNK: usize = 16 * 1024;
/// ...and pauses this long between steps.
const SLOW_PAUSE: Duration = Duration::from_millis(50);

/// A reply body shared with the feed cache, so no feed is copied per request.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Whether a response with this status never carries a body.
fn bodiless(status: u16) -> bool {
    matches!(status, 100..=199 | 204 | 304)
}

/// The response for `reply` to a request (`head` for HEAD: headers only).
/// A hanging reply resolves only after [`HANG_LIMIT`], and then drops the
/// connection without an answer; hyper drops the future earlier when the
/// client leaves.
pub(super) async fn respond(reply: Reply, head: bool, conn: ConnControl) -> Response<Body> {
    if let Some(delay) = reply.delay {
        sleep(delay).await;
    }
    if reply.delivery == Delivery::Hang {
        sleep(HANG_LIMIT).await;
        conn.abort();
        return Response::new(Body::empty());
    }
    let length = reply.body.len();
    let bytes = Bytes::from_owner(Shared(reply.body));
    let body = if head || bodiless(reply.status) {
        Body::empty()
    } else {
        match reply.delivery {
            Delivery::Slow => Body::from_stream(slowly(bytes)),
            Delivery::Truncate => Body::from_stream(half_then_close(bytes, conn, false)),
            Delivery::Stall => Body::from_stream(half_then_close(bytes, conn, true)),
            Delivery::Normal | Delivery::Hang => Body::from(bytes),
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::SERVER, HeaderValue::from_static("cg-emulator"));
    for (name, value) in &reply.headers {
        // Values come from the emulator or are echoed from the request
        // (an Origin): one that is no valid header value is left out.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    if !bodiless(reply.status) {
        // Announced in full even when the body will be cut short.
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    if matches!(reply.delivery, Delivery::Truncate | Delivery::Stall) {
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// `fault=slow`: the body in [`SLOW_CHUNK`] steps, [`SLOW_PAUSE`] apart.
fn slowly(body: Bytes) -> impl Stream<Item = io::Result<Bytes>> {
    stream::unfold(0, move |at| {
        let body = body.clone();
        async move {
            if at >= body.len() {
                return None;
            }
            if at > 0 {
                sleep(SLOW_PAUSE).await;
            }
            let end = (at + SLOW_CHUNK).min(body.len());
            Some((Ok(body.slice(at..end)), end))
        }
    })
}

/// `fault=truncate` (`stall == false`): half the body, then the connection
/// closes. `fault=stall`: half the body, then nothing until the client
/// leaves or [`HANG_LIMIT`] passes.
fn half_then_close(
    body: Bytes,
    conn: ConnControl,
    stall: bool,
) -> impl Stream<Item = io::Result<Bytes>> {
    let half = body.slice(..body.len() / 2);
    stream::once(async move { Ok(half) }).chain(stream::once(async move {
        if stall {
            sleep(HANG_LIMIT).await;
        }
        conn.close_when_flushed();
        // The body never ends by itself: the closed connection ends it.
        std::future::pending::<io::Result<Bytes>>().await
    }))
}
