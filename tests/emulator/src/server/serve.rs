//! The server on the wire: axum over hyper's HTTP/1.1 on a small tokio
//! runtime. hyper parses requests (keep-alive, chunked bodies,
//! `Expect: 100-continue`); axum hands each one, body read, to the router
//! ([`State::handle`], on a blocking thread: feed generation, gzip and file
//! reads are blocking work) and [`respond`] writes the reply.

use super::conn::{ConnControl, ConnIo};
use super::delivery::respond;
use super::state::State;
use super::Config;
use crate::http::{Request, MAX_BODY};
use axum::body::Body;
use axum::extract::{self, Extension};
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::Router;
use cg_core::deploy::configure_page;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tower::ServiceExt;

/// How long a client may take to send a request's headers (and an idle
/// keep-alive connection to send its next request's).
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections served at once; beyond this new ones get a 503.
const MAX_CONNECTIONS: usize = 512;
/// Most header lines we accept in one request.
const MAX_HEADERS: usize = 128;

/// A running server. Dropping it (or calling [`ServerHandle::shutdown`])
/// stops accepting and closes open connections.
pub struct ServerHandle {
    addr: SocketAddr,
    url: String,
    runtime: Option<Runtime>,
    accept: Option<tokio::task::JoinHandle<()>>,
}

impl ServerHandle {
    /// The bound socket address (with the real port when 0 was requested).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://host:port` of the server, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Blocks until the server stops (the CLI uses this to run forever).
    pub fn wait(mut self) {
        if let (Some(runtime), Some(accept)) = (&self.runtime, self.accept.take()) {
            let _ = runtime.block_on(accept);
        }
    }

    /// Stops the server: open connections are closed, hanging ones too.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        // Dropping the runtime's tasks closes every connection; a request
        // still in the router (a big feed being generated) is not waited for
        // long. Inside another runtime, blocking is not allowed.
        if tokio::runtime::Handle::try_current().is_ok() {
            runtime.shutdown_background();
        } else {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The address to reach a server bound to `addr` from this machine.
fn loopback(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    }
}

/// Binds and starts the server in background threads.
pub fn start(config: Config) -> io::Result<ServerHandle> {
    let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))?;
    let addr = listener.local_addr()?;
    let reach = loopback(addr);
    let url = match reach.ip() {
        IpAddr::V4(ip) => format!("http://{ip}:{}", reach.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", reach.port()),
    };
    let state = Arc::new(State::new(config, &url));
    if let Some(page_config) = &state.config.page_config {
        // Refused at start, not on the first page view.
        configure_page("<head></head>", &state.fill_origin(page_config)).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("--page-config: {e}"))
        })?;
    }
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("cg-emulator")
        .enable_all()
        .build()?;
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let accept = runtime.spawn(accept_loop(listener, state));
    Ok(ServerHandle {
        addr,
        url,
        runtime: Some(runtime),
        accept: Some(accept),
    })
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let app = Router::new().fallback(handle).with_state(state);
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // e.g. out of file descriptors: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let busy = active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS;
        let active = ActiveGuard(active.clone());
        let app = app.clone();
        tokio::spawn(async move {
            let _active = active;
            if busy {
                too_many_connections(stream).await;
            } else {
                serve_connection(stream, app).await;
            }
        });
    }
}

/// Counts a live connection until dropped.
struct ActiveGuard(Arc<AtomicUsize>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn http1() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(IDLE_TIMEOUT)
        .max_headers(MAX_HEADERS)
        .title_case_headers(true);
    builder
}

/// Serves requests on one connection until it closes; its requests carry
/// its [`ConnControl`] for the fault modes.
async fn serve_connection(stream: TcpStream, app: Router) {
    let (io, control) = ConnIo::new(stream);
    let service = hyper::service::service_fn(move |request: hyper::Request<_>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(control.clone());
        app.clone().oneshot(request)
    });
    // Errors are the client leaving, a malformed request (hyper answers
    // 400 itself) or a fault closing the connection: all end it.
    let _ = http1().serve_connection(TokioIo::new(io), service).await;
}

/// Answers a connection beyond [`MAX_CONNECTIONS`] with a 503 and closes it.
async fn too_many_connections(stream: TcpStream) {
    let service = hyper::service::service_fn(|_| async {
        let body = json!({ "error": "too many connections" }).to_string();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        Ok::<_, io::Error>(response)
    });
    let _ = http1()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// The one axum handler: the request, body read, goes to the router.
async fn handle(
    extract::State(state): extract::State<Arc<State>>,
    Extension(conn): Extension<ConnControl>,
    request: extract::Request,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        // Too large, or the client left mid-body.
        let mut response =
            Response::new(Body::from(json!({ "error": "body too large" }).to_string()));
        *response.status_mut() = StatusCode::BAD_REQUEST;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.to_string(), |p| p.as_str().to_string());
    let req = Request {
        method: parts.method.as_str().to_string(),
        target,
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                (name.as_str().to_string(), value.into_owned())
            })
            .collect(),
        body: body.into(),
    };
    let head = req.method == "HEAD";
    let reply = tokio::task::spawn_blocking(move || state.handle(&req)).await;
    match reply {
        Ok(reply) => respond(reply, head, conn).await,
        Err(_) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::server::test_support::*;

    #[test]
    fn an_invalid_page_config_stops_the_server_from_starting() {
        let config = Config {
            port: 0,
            page_config: Some(r#"{"cdn":"ftp://x"}"#.into()),
            ..Config::default()
        };
        let error = start(config).err().expect("refused");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("cdn"), "{error}");
    }

    // hyper parses the wire now; these keep the checks the hand-written
    // parser had, over a real socket.

    /// Writes `raw` on a fresh connection and reads until the server closes
    /// (panics when it does not within 10 s).
    fn exchange(raw: &[u8]) -> String {
        use std::io::{Read, Write};
        let server = start(Config {
            port: 0,
            ..Config::default()
        })
        .unwrap();
        let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(raw).unwrap();
        let mut out = Vec::new();
        stream.read_to_end(&mut out).expect("the server closes");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn parses_head_and_body() {
        let out = exchange(b"PUT /__feeds/a?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nLast-Modified:  Wed, 21 Oct 2015 07:28:00 GMT \r\n\r\nhelloGET /feeds/a HTTP/1.0\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 201 "), "{out}");
        assert!(
            out.contains(r#""lastModified":"Wed, 21 Oct 2015 07:28:00 GMT""#),
            "the header's value is trimmed: {out}"
        );
        // The HTTP/1.0 request is answered, then the connection closes.
        assert!(out.ends_with("\r\n\r\nhello"), "{out}");
    }

    #[test]
    fn parses_chunked_body() {
        let out = exchange(b"PUT /__feeds/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\nGET /feeds/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(out.contains(r#""bytes":9"#), "{out}");
        assert!(out.ends_with("\r\n\r\nWikipedia"), "{out}");
    }

    #[test]
    fn rejects_garbage() {
        assert!(exchange(b"hello\r\n\r\n").starts_with("HTTP/1.1 400 "));
        assert!(exchange(b"GET / HTTP/1.1\r\nno colon\r\n\r\n").starts_with("HTTP/1.1 400 "));
    }
}
