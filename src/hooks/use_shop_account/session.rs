//! The login session: logging in, creating an account, logging out, and
//! the session kept in `sessionStorage`.

use super::{now_ms, CheckoutStatus, Panel, Resume, ShopAccount};
use crate::browser::storage::{self, Store};
use crate::core::client_api::{self, ApiError, Operation, Session};
use leptos::prelude::*;

impl ShopAccount {
    /// The session if it can still be used now.
    pub fn valid_session(&self) -> Option<Session> {
        self.session
            .get_untracked()
            .filter(|s| s.is_valid_at(now_ms()))
    }

    /// Keeps `session`, or with `None` clears it everywhere the widget
    /// keeps one for this shop (the key of earlier versions too).
    pub(super) fn save_session(&self, session: Option<Session>) {
        let scope = self.scope();
        match &session {
            Some(session) => {
                storage::write(Store::Session, &scope.session_key(), &session.to_storage());
            }
            None => {
                storage::remove(Store::Session, &scope.session_key());
                storage::remove(Store::Session, &scope.unscoped_session_key());
            }
        }
        self.session.set(session);
    }

    fn parse_session(&self) -> impl FnOnce(Operation, u16, &str) -> Result<Session, ApiError> {
        let api = self.scope().api().to_owned();
        move |operation, status, body| client_api::parse_session(operation, status, body, &api)
    }

    /// Opens the login form; after a login, `resume` carries on.
    pub(super) fn ask_login(&self, resume: Option<Resume>, reason: Option<String>) {
        self.resume.set_value(resume);
        self.panel.set(Panel::Login { reason });
    }

    /// Logs in and carries on with what the buyer was doing.
    pub async fn log_in(self, email: String, password: String) -> Result<(), ApiError> {
        let session = self
            .call(
                client_api::login(&email, &password),
                None,
                self.parse_session(),
            )
            .await?;
        self.start_session(session);
        Ok(())
    }

    /// Creates an account, which also logs the buyer in.
    pub async fn register(
        self,
        email: String,
        password: String,
        first_name: String,
        last_name: String,
    ) -> Result<(), ApiError> {
        let request = client_api::register(&email, &password, &first_name, &last_name);
        let session = self.call(request, None, self.parse_session()).await?;
        self.start_session(session);
        Ok(())
    }

    fn start_session(&self, session: Session) {
        self.save_session(Some(session));
        match self.resume.try_update_value(Option::take).flatten() {
            Some(Resume::Checkout) => {
                self.panel.set(Panel::Cart);
                self.checkout();
            }
            None => self.panel.set(Panel::Closed),
        }
    }

    /// Ends the session; the cart stays.
    pub fn log_out(&self) {
        self.save_session(None);
        self.resume.set_value(None);
        self.status.set(CheckoutStatus::Idle);
        if !matches!(self.panel.get_untracked(), Panel::Cart) {
            self.panel.set(Panel::Closed);
        }
    }
}
