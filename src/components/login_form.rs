use super::Heading;
use crate::core::client_api::ApiError;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the login form sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// A login to an existing account.
    LogIn {
        /// The account's email address.
        email: String,
        /// Its password.
        password: String,
    },
    /// A new account, which also logs the buyer in.
    Register {
        /// The account's email address.
        email: String,
        /// Its password.
        password: String,
        /// The buyer's first name.
        first_name: String,
        /// The buyer's last name.
        last_name: String,
    },
}

/// The login form, which also creates accounts. The password is read from
/// its field when sent and kept nowhere else.
#[component]
pub fn LoginForm(
    /// The shop domain the account is at, named for the buyer.
    #[prop(into)]
    shop: String,
    /// The API host the login goes to: the buyer sees where their password
    /// is sent.
    #[prop(into)]
    api_host: String,
    /// Logs in or creates the account; the form shows the error it ends with.
    #[prop(into)]
    on_submit: Callback<Credentials, LocalBoxFuture<'static, Result<(), ApiError>>>,
    /// Closes the form.
    #[prop(into)]
    on_cancel: Callback<()>,
    /// Why the buyer is asked to log in, e.g. an expired session.
    #[prop(optional, into)]
    reason: MaybeProp<String>,
) -> impl IntoView {
    let heading_level = use_context::<crate::components::DisplayContext>()
        .unwrap_or_default()
        .section_level();
    let registering = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let email = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let first_name = NodeRef::<leptos::html::Input>::new();
    let last_name = NodeRef::<leptos::html::Input>::new();
    // Keyboard users land in the form, not at the top of the page.
    Effect::new(move |_| {
        if let Some(input) = email.get() {
            let _ = input.focus();
        }
    });
    let value = |field: NodeRef<leptos::html::Input>| {
        field.get_untracked().map(|i| i.value()).unwrap_or_default()
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let (email, password) = (value(email), value(password));
        if email.trim().is_empty() || password.is_empty() {
            error.set(Some("Enter your email and password.".to_owned()));
            return;
        }
        sending.set(true);
        error.set(None);
        let names = registering
            .get_untracked()
            .then(|| (value(first_name), value(last_name)));
        let credentials = match names {
            Some((first_name, last_name)) => Credentials::Register {
                email,
                password,
                first_name,
                last_name,
            },
            None => Credentials::LogIn { email, password },
        };
        let sent = on_submit.run(credentials);
        spawn_local(async move {
            let result = sent.await;
            // The form is gone after a successful login.
            let _ = sending.try_set(false);
            if let Err(failure) = result {
                let _ = error.try_set(Some(failure.to_string()));
            }
        });
    };
    let title = move || {
        if registering.get() {
            "Create an account"
        } else {
            "Log in"
        }
    };
    view! {
        <form class="cg-login" part="login" method="post" novalidate on:submit=on_submit aria-label=title>
            <Heading class="cg-panel-title" level=heading_level>
                {title}
            </Heading>
            <p class="cg-login-where">
                "Your account at " <strong>{shop}</strong> ", signed in through " <strong>{api_host}</strong> "."
            </p>
            {move || reason.get().map(|r| view! { <p class="cg-panel-reason" role="status">{r}</p> })}
            <label class="cg-field">
                <span>"Email"</span>
                <input node_ref=email type="email" name="email" autocomplete="email" required maxlength="254" />
            </label>
            <label class="cg-field">
                <span>"Password"</span>
                <input
                    node_ref=password
                    type="password"
                    name="password"
                    required
                    maxlength="200"
                    autocomplete=move || if registering.get() { "new-password" } else { "current-password" }
                />
            </label>
            <Show when=move || registering.get()>
                <label class="cg-field">
                    <span>"First name"</span>
                    <input node_ref=first_name type="text" name="given-name" autocomplete="given-name" maxlength="60" />
                </label>
                <label class="cg-field">
                    <span>"Last name"</span>
                    <input node_ref=last_name type="text" name="family-name" autocomplete="family-name" maxlength="60" />
                </label>
            </Show>
            <p class="cg-form-error" role="alert">{move || error.get()}</p>
            <div class="cg-form-actions">
                <button type="submit" class="cg-button" disabled=move || sending.get()>
                    {move || match (sending.get(), registering.get()) {
                        (true, _) => "Please wait…",
                        (false, true) => "Create account",
                        (false, false) => "Log in",
                    }}
                </button>
                <button type="button" class="cg-link-button" on:click=move |_| registering.update(|r| *r = !*r)>
                    {move || if registering.get() { "I have an account" } else { "Create an account" }}
                </button>
                <button type="button" class="cg-link-button" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
