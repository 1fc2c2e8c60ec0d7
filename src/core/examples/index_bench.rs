//! Native throughput of reading and indexing a generated feed, in MB/s of
//! feed bytes: `cargo run --release -p cg-core --example index_bench`.
//!
//! Three stages, each timed on its own so a change can be placed: cutting
//! the body into elements (the splitter), that plus reading each element
//! into an `Item`, and the whole `CatalogueBuilder` (split, read, store and
//! index) fed the loader's 64 KB slices; then the built catalogue's snapshot
//! (the repeat visit's saved index) is written and restored. Built with the
//! release profile, as the wasm bundle is; the browser's numbers are
//! typically 1.5–3× slower.
//!
//! `INDEX_BENCH_ITEMS` (default 50000) sizes the feed, `INDEX_BENCH_RUNS`
//! (default 7) repeats each stage, `INDEX_BENCH_FEED=path` reads a feed file
//! instead of generating one, `INDEX_BENCH_ONLY=index` runs one stage (for a
//! profiler; `snapshot` the snapshot's). Prints min, median and max; on a
//! busy machine the best run (max MB/s) is the steadiest.

use cg_core::splitter::FeedSplitter;
use cg_core::{Catalogue, CatalogueBuilder, Item};
use cg_emulator::generator::generate_feed;
use std::hint::black_box;
use std::time::Instant;

/// The loader's slice size (`SLICE_BYTES` in the browser shell).
const SLICE_BYTES: usize = 64 * 1024;

fn split(body: &[u8]) -> usize {
    let mut splitter = FeedSplitter::new();
    let mut bytes = 0;
    for slice in body.chunks(SLICE_BYTES) {
        splitter
            .push(slice, |element| bytes += black_box(element).len())
            .unwrap();
    }
    splitter.finish().unwrap();
    bytes
}

fn split_and_read(body: &[u8]) -> usize {
    let mut splitter = FeedSplitter::new();
    let mut listings = 0;
    for slice in body.chunks(SLICE_BYTES) {
        splitter
            .push(slice, |element| {
                listings +=
                    Item::from_json(element).map_or(0, |item| black_box(item).listings.len())
            })
            .unwrap();
    }
    splitter.finish().unwrap();
    listings
}

fn build(body: &[u8]) -> Catalogue {
    let mut builder = CatalogueBuilder::new();
    for slice in body.chunks(SLICE_BYTES) {
        builder.push(slice).unwrap();
    }
    builder.finish().unwrap()
}

fn index(body: &[u8]) -> usize {
    build(body).len()
}

fn measure(name: &str, body: &[u8], runs: usize, stage: fn(&[u8]) -> usize) {
    let result = stage(body); // warm-up
    let mut rates: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(stage(black_box(body)));
            body.len() as f64 / 1e6 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    let ms = body.len() as f64 / 1e3 / median;
    println!(
        "| {name:<24} | {:>8.1} | {median:>11.1} | {:>8.1} | {ms:>9.1} | {result}",
        rates[0],
        rates[rates.len() - 1]
    );
}

/// A named stage: takes the feed bytes, returns what it produced.
type Stage = (&'static str, fn(&[u8]) -> usize);

fn main() {
    let env = |name: &str| std::env::var(name).ok();
    let items = env("INDEX_BENCH_ITEMS")
        .and_then(|n| n.parse().ok())
        .unwrap_or(50_000);
    let runs = env("INDEX_BENCH_RUNS")
        .and_then(|n| n.parse().ok())
        .unwrap_or(7)
        .max(1);
    let body = match env("INDEX_BENCH_FEED") {
        Some(path) => std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        None => generate_feed(items, 42, "http://127.0.0.1:8080").into_bytes(),
    };
    let only = env("INDEX_BENCH_ONLY");
    println!(
        "# Feed reading and indexing (native, release profile): {:.1} MB, {runs} runs",
        body.len() as f64 / 1e6
    );
    println!();
    println!("| stage                    | min MB/s | median MB/s | max MB/s | median ms | result");
    println!("|--------------------------|----------|-------------|----------|-----------|-------");
    let stages: [Stage; 3] = [
        ("split", split),
        ("split + read items", split_and_read),
        ("index (CatalogueBuilder)", index),
    ];
    for (name, stage) in stages {
        if only.as_deref().is_none_or(|only| name.starts_with(only)) {
            measure(name, &body, runs, stage);
        }
    }
    if only
        .as_deref()
        .is_none_or(|only| "snapshot".starts_with(only))
    {
        snapshot_round_trip(&body, runs);
    }
}

/// Writing the built catalogue as a snapshot (the saved index) and
/// restoring it, as a repeat visit does.
fn snapshot_round_trip(body: &[u8], runs: usize) {
    let catalogue = build(body);
    let median_ms = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let mut bytes = Vec::new();
    let write = median_ms(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                bytes = black_box(catalogue.to_snapshot());
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    let restore = median_ms(
        (0..runs)
            .map(|_| {
                let copy = bytes.clone();
                let start = Instant::now();
                black_box(Catalogue::from_snapshot_owned(copy).unwrap());
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    );
    println!();
    println!("Snapshot of the catalogue: {:.1} MB, written in {write:.1} ms, restored in {restore:.1} ms (medians)", bytes.len() as f64 / 1e6);
}
