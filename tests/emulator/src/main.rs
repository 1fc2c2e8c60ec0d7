//! Command-line entry point: `cg-emulator generate` and `cg-emulator serve`.

use cg_emulator::generator::write_feed;
use cg_emulator::server::{start, Config};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cg-emulator generate --items N [--seed S] [--image-base URL]
      Write a generated inventory feed (JSON array) to stdout.
  cg-emulator serve [--port P] [--host H] [--static DIR] [--shop ID=N]... [--seed S] [--verbose]
                    [--origin DOMAIN=SHOPID]... [--session-ttl-ms MS]
                    [--removed-shop ID]... [--missing-shop ID]... [--partner-token T]
                    [--squarespace-key K] [--squarespace-items N] [--page-config FILE_OR_JSON]
      Serve feeds over HTTP. --port 0 picks a free port. Default shop: 1234=5000.
      --page-config: the deploy configuration (a JSON object of settings, inline
      or in a file) written into --static's index.html when / is served; {origin}
      in it is this server (http://localhost:PORT). PUT /__deploys/NAME with such
      a body serves another configured copy at /deploys/NAME/.
      GraphQL at POST /graphql: --origin maps a commonground-origin header to a
      shop (default www.my-vinyl-store.com=1234); sessions last --session-ttl-ms
      (default 3600000).
      Shop list (/partner/shops.json, /inventory/dumps/list with --partner-token,
      default partner-secret-token): every --shop, plus --missing-shop (listed,
      feed 404s); --removed-shop goes to toRemove (feed still served).
      Squarespace inventory of --squarespace-items variants (default 120) behind
      --squarespace-key (default squarespace-secret-key).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("serve") => serve(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err("expected a command: generate or serve".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("cg-emulator: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Splits `--flag value` / `--flag=value` arguments into pairs; bare flags
/// listed in `switches` get an empty value.
fn parse_flags(args: &[String], switches: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument: {arg}"));
        };
        if let Some((name, value)) = flag.split_once('=') {
            out.push((name.to_string(), value.to_string()));
        } else if switches.contains(&flag) {
            out.push((flag.to_string(), String::new()));
        } else {
            let value = it.next().ok_or_else(|| format!("--{flag} needs a value"))?;
            out.push((flag.to_string(), value.clone()));
        }
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("--{flag}: not a valid number: {value}"))
}

fn generate(args: &[String]) -> Result<(), String> {
    let mut items = None;
    let mut seed = 42;
    let mut image_base = "http://127.0.0.1:8080".to_string();
    for (flag, value) in parse_flags(args, &[])? {
        match flag.as_str() {
            "items" => items = Some(number(&flag, &value)?),
            "seed" => seed = number(&flag, &value)?,
            "image-base" => image_base = value,
            _ => return Err(format!("unknown flag for generate: --{flag}")),
        }
    }
    let items = items.ok_or("generate needs --items N")?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match write_feed(&mut out, items, seed, &image_base).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // `generate | head` closing the pipe is not an error worth reporting.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("writing feed: {e}")),
    }
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut config = Config::default();
    let mut shops = Vec::new();
    let mut origins = Vec::new();
    for (flag, value) in parse_flags(args, &["verbose"])? {
        match flag.as_str() {
            "port" => config.port = number(&flag, &value)?,
            "host" => config.host = value,
            "static" => config.static_dir = Some(PathBuf::from(value)),
            "seed" => config.seed = number(&flag, &value)?,
            "verbose" => config.verbose = true,
            "shop" => {
                let (id, n) = value
                    .split_once('=')
                    .ok_or_else(|| format!("--shop expects ID=N, got {value}"))?;
                shops.push((number(&flag, id)?, number(&flag, n)?));
            }
            "origin" => {
                let (domain, id) = value
                    .rsplit_once('=')
                    .ok_or_else(|| format!("--origin expects DOMAIN=SHOPID, got {value}"))?;
                if domain.is_empty() {
                    return Err(format!("--origin expects DOMAIN=SHOPID, got {value}"));
                }
                origins.push((domain.to_string(), number(&flag, id)?));
            }
            "session-ttl-ms" => config.session_ttl_ms = number(&flag, &value)?,
            "removed-shop" => config.removed_shops.push(number(&flag, &value)?),
            "missing-shop" => config.missing_shops.push(number(&flag, &value)?),
            "partner-token" => config.partner_token = value,
            "squarespace-key" => config.squarespace_key = value,
            "squarespace-items" => config.squarespace_items = number(&flag, &value)?,
            "page-config" => {
                config.page_config = Some(if value.trim_start().starts_with('{') {
                    value
                } else {
                    std::fs::read_to_string(&value)
                        .map_err(|e| format!("--page-config {value}: {e}"))?
                })
            }
            _ => return Err(format!("unknown flag for serve: --{flag}")),
        }
    }
    if !shops.is_empty() {
        config.shops = shops;
    }
    if !origins.is_empty() {
        config.origins = origins;
    }
    let server = start(config).map_err(|e| format!("cannot start server: {e}"))?;
    // Tests wait for exactly this line to learn the port.
    let mut stdout = io::stdout();
    let _ = writeln!(stdout, "cg-emulator listening on {}", server.url());
    let _ = stdout.flush();
    server.wait();
    Ok(())
}
