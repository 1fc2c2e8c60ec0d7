//! `cg-configure PAGE CONFIG`: the partner's deploy step for the standalone
//! page. Checks the settings in CONFIG (a JSON file, or `-` for stdin), and
//! writes them into PAGE (the built `dist/index.html`, rewritten in place)
//! as its `cg-config` block, with the Content-Security-Policy they call for.
//!
//!     cargo run --release --bin cg-configure -- dist/index.html config.json
//!
//! An invalid or unknown setting is an error naming it, and leaves PAGE as
//! it was. Native only: built for wasm32 (as `cargo test --target wasm32…`
//! does with every binary) it is an empty program.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Read;
    use std::process::ExitCode;

    const USAGE: &str = "usage: cg-configure PAGE CONFIG\n  \
        PAGE    the standalone page to configure in place (dist/index.html)\n  \
        CONFIG  a JSON object of settings keyed like the <cg-inventory> attributes, in a file or `-` for stdin,\n          \
        e.g. {\"shop\":\"1234\",\"storefront\":\"https://www.my-store.com\",\"currency\":\"EUR\"}\n";
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let [page_path, config_path] = args.as_slice() else {
        eprint!("cg-configure: expected a page and a configuration\n{USAGE}");
        return ExitCode::from(2);
    };
    let fail = |message: String| {
        eprintln!("cg-configure: {message}");
        ExitCode::FAILURE
    };
    let page = match std::fs::read_to_string(page_path) {
        Ok(page) => page,
        Err(error) => return fail(format!("{page_path}: {error}")),
    };
    let config = if config_path == "-" {
        let mut text = String::new();
        if let Err(error) = std::io::stdin().read_to_string(&mut text) {
            return fail(format!("stdin: {error}"));
        }
        text
    } else {
        match std::fs::read_to_string(config_path) {
            Ok(text) => text,
            Err(error) => return fail(format!("{config_path}: {error}")),
        }
    };
    let configured = match cg_inventory::core::deploy::configure_page(&page, &config) {
        Ok(configured) => configured,
        Err(error) => {
            return fail(format!(
                "{}: {error}",
                if config_path == "-" {
                    "stdin"
                } else {
                    config_path
                }
            ))
        }
    };
    // Written beside the page, then renamed over it: never half a page.
    let temporary = format!("{page_path}.cg-configure.tmp");
    if let Err(error) = std::fs::write(&temporary, &configured)
        .and_then(|()| std::fs::rename(&temporary, page_path))
    {
        let _ = std::fs::remove_file(&temporary);
        return fail(format!("{page_path}: {error}"));
    }
    let (_, parsed) = cg_inventory::core::deploy::read_config(&config).expect("checked above");
    let policy =
        cg_inventory::core::deploy::content_security_policy(&parsed).expect("checked above");
    println!("configured {page_path}\nContent-Security-Policy: {policy}");
    ExitCode::SUCCESS
}

#[cfg(target_arch = "wasm32")]
fn main() {}
