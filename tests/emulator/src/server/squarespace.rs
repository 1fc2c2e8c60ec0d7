//! Routes of the emulated Squarespace inventory API: the real endpoint
//! (key required, no CORS, no faults), the partner's proxy in front of it
//! (CORS, faults) and its `/__squarespace/*` controls. The paging itself is
//! [`crate::squarespace`].

use super::faults::{FailNext, Faults};
use super::partner::bearer;
use super::reply::{Delivery, Reply};
use super::state::{lock, State};
use crate::http::Request;
use crate::squarespace::{self, PageOptions};
use serde_json::{json, Value};

impl State {
    /// `POST /__squarespace/stale-cursor`.
    pub(super) fn squarespace_stale_cursor(&self) -> Reply {
        self.squarespace.arm_stale_cursor();
        Reply::json(200, &self.squarespace_state())
    }

    /// `POST /__squarespace/loop`.
    pub(super) fn squarespace_loop(&self) -> Reply {
        self.squarespace.set_loop();
        Reply::json(200, &self.squarespace_state())
    }

    /// `POST /__squarespace/fail-next?status=&count=&hang=1`.
    pub(super) fn squarespace_fail_next(&self, req: &Request) -> Reply {
        match FailNext::from_request(req) {
            Ok(f) => {
                *lock(&self.squarespace_fail) = f;
                Reply::json(200, &json!({ "failNext": f.to_json() }))
            }
            Err(msg) => Reply::error(400, &msg),
        }
    }

    /// `GET /__squarespace/state`.
    pub(super) fn squarespace_state_reply(&self) -> Reply {
        Reply::json(200, &self.squarespace_state()).header("Cache-Control", "no-store")
    }

    fn squarespace_state(&self) -> Value {
        let mut state = self.squarespace.state();
        state["failNext"] = lock(&self.squarespace_fail).to_json();
        state
    }

    /// The Squarespace inventory API (`proxy == false`: the real endpoint,
    /// key required, no CORS, no faults) or the partner's proxy in front of
    /// it (no key, CORS, faults).
    pub(super) fn squarespace_route(&self, req: &Request, proxy: bool) -> (Reply, bool) {
        let cursor = req.query_values("cursor").into_iter().next();
        if !proxy {
            if bearer(req) != Some(self.config.squarespace_key.as_str()) {
                return (
                    Reply::json(401, &squarespace::unauthorized_body())
                        .header("WWW-Authenticate", "Bearer"),
                    false,
                );
            }
            let url = format!("{}/squarespace/1.0/commerce/inventory", self.base_url);
            let reply = match self
                .squarespace
                .page(cursor.as_deref(), &url, PageOptions::default())
            {
                Ok(page) => Reply::json(200, &page),
                Err(e) => Reply::json(400, &e),
            };
            return (reply.header("Cache-Control", "no-store"), false);
        }
        if let Some(fail) = FailNext::take(&self.squarespace_fail) {
            return (fail.reply(), true);
        }
        let mut opts = PageOptions {
            looping: self.squarespace.looping(),
            stale: false,
        };
        let mut generic = Vec::new();
        for value in req.query_values("fault") {
            for name in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match name {
                    "loop" => opts.looping = true,
                    "stale-cursor" => opts.stale = true,
                    other => generic.push(other.to_string()),
                }
            }
        }
        let faults = match Faults::from_values(&generic) {
            Ok(f) => f,
            Err(msg) => return (Reply::error(400, &msg), true),
        };
        let mut reply = if let Some(r) = faults.preempt() {
            r
        } else {
            if cursor.as_deref().is_some_and(|c| !c.is_empty())
                && self.squarespace.fire_stale_cursor()
            {
                opts.stale = true;
            }
            let url = format!("{}/proxy/squarespace/inventory", self.base_url);
            let mut r = match self.squarespace.page(cursor.as_deref(), &url, opts) {
                Ok(page) => Reply::json(200, &page),
                Err(e) => Reply::json(400, &e),
            };
            r.delivery = if faults.truncate {
                Delivery::Truncate
            } else if faults.slow {
                Delivery::Slow
            } else {
                Delivery::Normal
            };
            r.header("Cache-Control", "no-store")
        };
        reply.delay = faults.delay;
        (reply, !faults.no_cors)
    }
}
