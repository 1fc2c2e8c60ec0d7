//! The committed corpus of hostile input other than feeds (`tests/hostile/`):
//! links a stranger can send to a partner's page, sessions another script
//! of the host origin can leave in storage, and shop-list keys that try to
//! leave the CDN path. Each file says why its cases are hostile.

use cg_core::client_api::Session;
use cg_core::links::percent_decode;
use cg_core::shop_list::ShopInfo;
use cg_core::Config;
use serde_json::Value;

fn corpus(name: &str) -> Value {
    let path = format!("{}/../../tests/hostile/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the corpus file"))
        .expect("corpus JSON")
}

/// `query` as a browser's `URLSearchParams` reads it.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode =
        |text: &str| percent_decode(&text.replace('+', " ")).unwrap_or_else(|| text.to_owned());
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .map(|(n, v)| (decode(n), decode(v)))
        .collect()
}

fn deployed(settings: &Value) -> Config {
    let pairs: Vec<(&str, &str)> = settings
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    let (config, notices) = Config::from_params(pairs);
    assert!(
        notices.is_empty(),
        "the deployed configuration is valid: {notices:?}"
    );
    config
}

#[test]
fn no_link_in_the_corpus_changes_a_setting_or_is_quoted() {
    let links = corpus("links.json");
    let cases = links["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    for case in cases {
        let query = case["query"].as_str().unwrap();
        let pairs = query_pairs(query);
        let mut config = deployed(&links["deployed"]);
        let notices = config.choose_from_link(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        assert_eq!(
            config,
            deployed(&links["deployed"]),
            "{}: {query}",
            case["why"]
        );
        assert!(
            !notices.is_empty() && notices.len() <= 2,
            "{}: {notices:?}",
            case["why"]
        );
        for notice in &notices {
            for (_, value) in &pairs {
                assert!(
                    value.len() < 4 || !notice.contains(value.as_str()),
                    "{}: the notice repeats {value:?}",
                    case["why"]
                );
            }
            assert!(
                !notice.contains('<') && !notice.contains("evil"),
                "{notice}"
            );
        }
    }
}

#[test]
fn five_thousand_bad_parameters_give_bounded_notices() {
    let settings = [
        "api",
        "origin",
        "feed",
        "storefront",
        "checkout-url",
        "currency",
    ];
    let query: Vec<String> = (0..5_000)
        .map(|i| {
            format!(
                "{}=Call%20555-0100%20now%20{i}",
                settings[i % settings.len()]
            )
        })
        .collect();
    let pairs = query_pairs(&query.join("&"));
    let mut config = Config::from_params([("shop", "1234")]).0;
    let notices = config.choose_from_link(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(!notices[0].contains("555"));
    // The same values as attributes (the deployer's own mistake) are named
    // by setting, once each.
    let (_, notices) = Config::from_params(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(!notices[0].contains("555"), "{notices:?}");
}

#[test]
fn every_stored_session_in_the_corpus_has_its_stated_outcome() {
    let sessions = corpus("sessions.json");
    let api = sessions["api"].as_str().unwrap();
    let huge = "x".repeat(1_000_000);
    let now = 1_765_000_000_000;
    for case in sessions["cases"].as_array().unwrap() {
        let stored = match &case["stored"] {
            Value::String(text) => text.clone(),
            value => value
                .to_string()
                .replace("$api", api)
                .replace("$huge", &huge),
        };
        let restored = Session::from_storage(&stored, api).filter(|s| s.is_valid_at(now));
        let why = case["why"].as_str().unwrap();
        match case["expect"].as_str().unwrap() {
            "logged_out" => assert_eq!(restored, None, "{why}"),
            _ => {
                let session = restored.unwrap_or_else(|| panic!("{why}: logged out"));
                assert_eq!(session.api, api);
                assert!(session.first_name.as_ref().is_none_or(|n| n.chars().count() <= 60 && !n.chars().any(char::is_control)), "{why}");
                assert!(
                    session.checkout.as_ref().is_none_or(|c| c.id.len() <= 200),
                    "{why}"
                );
                assert!(
                    session
                        .open_checkout(now)
                        .is_none_or(|c| c.id == "c1" && c.expires.is_none()),
                    "{why}"
                );
                // What is kept again reads back the same.
                assert_eq!(
                    Session::from_storage(&session.to_storage(), api),
                    Some(session.clone()),
                    "{why}"
                );
            }
        }
    }
}

#[test]
fn no_shop_list_key_in_the_corpus_leaves_the_cdn_path() {
    let keys = corpus("shop-keys.json");
    for key in keys["cases"].as_array().unwrap() {
        let shop = ShopInfo {
            key: Some(key.as_str().unwrap().to_owned()),
            ..ShopInfo::bare("5")
        };
        assert_eq!(
            shop.feed_url("https://cdn.example"),
            "https://cdn.example/shops/5/inventory.json",
            "{key}"
        );
    }
}
