//! Native timings of indexing and querying generated feeds of 1k, 10k and
//! 50k items: `cargo run --release --example query_bench`.
//!
//! Not a test and not criterion: each measure is run many times and its
//! median and 95th percentile printed. Built with the release profile
//! (opt-level "z", as the wasm bundle is), so the numbers are a proxy for
//! the browser's, which are typically 1.5–3× slower.
//!
//! `QUERY_BENCH_SIZES=1000,50000` picks the feed sizes; `QUERY_BENCH_RUNS`
//! the repetitions per cached measure (default 60); `QUERY_BENCH_ONLY=all`
//! times that one query (for a profiler). On a busy machine the
//! minimum is the steadiest column.

use cg_core::{Catalogue, CatalogueBuilder, Condition, Facet, Grade, SortKey, ViewState};
use cg_emulator::generator::generate_feed;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes held now and the most held
/// since the last [`reset_peak`]: wasm linear memory never shrinks, so
/// the peak while loading is what a page keeps paying for.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(held, Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Growth is counted as a move (old and new both held), as
        // dlmalloc must when it cannot grow the block in place;
        // shrinking is done in place.
        if new_size > layout.size() {
            let held = HELD.fetch_add(new_size, Relaxed) + new_size;
            PEAK.fetch_max(held, Relaxed);
            HELD.fetch_sub(layout.size(), Relaxed);
        } else {
            HELD.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn reset_peak() -> usize {
    let held = HELD.load(Relaxed);
    PEAK.store(held, Relaxed);
    held
}

/// The loader's slice size (`SLICE_BYTES` in the browser shell).
const SLICE_BYTES: usize = 128 * 1024;

struct Stats {
    min: Duration,
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Stats {
        min: samples[0],
        median: at(0.5),
        p95: at(0.95),
        max: *samples.last().unwrap(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

fn row(name: &str, s: &Stats, extra: &str) {
    println!(
        "| {name:<34} | {:>9} | {:>9} | {:>9} | {:>9} | {extra}",
        ms(s.min),
        ms(s.median),
        ms(s.p95),
        ms(s.max)
    );
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Stats, T) {
    let mut last = f(); // warm-up
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        last = black_box(f());
        samples.push(start.elapsed());
    }
    (stats(samples), last)
}

fn view(f: impl FnOnce(&mut ViewState)) -> ViewState {
    let mut view = ViewState::default();
    f(&mut view);
    view
}

/// The `n`th most frequent value of a facet over the whole catalogue.
fn top_value(catalogue: &Catalogue, facet: Facet, n: usize) -> String {
    let all = catalogue.query(&ViewState::default());
    all.facets[facet as usize].1[n].name.clone()
}

fn index_in_slices(body: &[u8]) -> (Catalogue, Vec<Duration>, Duration) {
    let mut builder = CatalogueBuilder::new();
    let mut slices = Vec::new();
    for slice in body.chunks(SLICE_BYTES) {
        let start = Instant::now();
        builder.push(slice).unwrap();
        slices.push(start.elapsed());
    }
    let start = Instant::now();
    let catalogue = builder.finish().unwrap();
    (catalogue, slices, start.elapsed())
}

fn bench(size: usize, runs: usize) {
    let body = generate_feed(size, 42, "http://127.0.0.1:8080");
    println!();
    println!("## {size} items ({:.1} MB feed)", body.len() as f64 / 1e6);
    println!();
    println!("| measure                            |    min ms | median ms |    p95 ms |    max ms | notes");
    println!("|------------------------------------|-----------|-----------|-----------|-----------|------");

    // Indexing: whole, and in the loader's slices.
    let index_runs = if std::env::var("QUERY_BENCH_ONLY").is_ok() {
        1
    } else if size >= 50_000 {
        5
    } else {
        15
    };
    let mut slice_samples = Vec::new();
    let mut finish_samples = Vec::new();
    let mut whole_samples = Vec::new();
    let mut catalogue = None;
    for _ in 0..index_runs {
        let start = Instant::now();
        let (built, slices, finish) = index_in_slices(body.as_bytes());
        whole_samples.push(start.elapsed());
        slice_samples.extend(slices);
        finish_samples.push(finish);
        catalogue = Some(built);
    }
    let catalogue = catalogue.unwrap();
    row(
        "index whole feed (128 KB slices)",
        &stats(whole_samples),
        &format!("{} items", catalogue.len()),
    );
    row("  one 128 KB slice", &stats(slice_samples), "");
    row("  finish", &stats(finish_samples), "");
    loading_queries(body.as_bytes());
    drop(catalogue);
    let catalogue = report_memory(body.as_bytes());
    report_snapshot(&catalogue, if size >= 50_000 { 15 } else { 30 }, body.len());

    let genre0 = top_value(&catalogue, Facet::Genre, 0);
    let genre1 = top_value(&catalogue, Facet::Genre, 1);
    let format0 = top_value(&catalogue, Facet::Format, 0);
    let mut cases: Vec<(String, ViewState)> = vec![("all".into(), ViewState::default())];
    for q in ["a", "b", "bl", "blu", "blue", "blue note", "zzz"] {
        cases.push((format!("q={q}"), view(|v| v.query = q.into())));
    }
    cases.push((
        format!("genre={genre0}"),
        view(|v| v.toggle(Facet::Genre, &genre0)),
    ));
    cases.push((
        format!("genre={genre0}+{genre1}"),
        view(|v| {
            v.toggle(Facet::Genre, &genre0);
            v.toggle(Facet::Genre, &genre1);
        }),
    ));
    cases.push((
        format!("format={format0}"),
        view(|v| v.toggle(Facet::Format, &format0)),
    ));
    cases.push((
        "genre+format".into(),
        view(|v| {
            v.toggle(Facet::Genre, &genre0);
            v.toggle(Facet::Format, &format0);
        }),
    ));
    cases.push((
        "condition=used".into(),
        view(|v| v.conditions = vec![Condition::Used]),
    ));
    cases.push((
        "grade>=VG+".into(),
        view(|v| v.min_grade = Some(Grade::VeryGoodPlus)),
    ));
    cases.push((
        "price 10–30".into(),
        view(|v| {
            v.price_min = Some(1_000);
            v.price_max = Some(3_000);
        }),
    ));
    cases.push((
        "year 1990–2010".into(),
        view(|v| {
            v.year_min = Some(1990);
            v.year_max = Some(2010);
        }),
    ));
    cases.push((
        "q=blue+genre+used+sort price".into(),
        view(|v| {
            v.query = "blue".into();
            v.toggle(Facet::Genre, &genre0);
            v.conditions = vec![Condition::Used];
            v.sort = Some(SortKey::PriceAsc);
        }),
    ));
    let only = std::env::var("QUERY_BENCH_ONLY").ok();
    if only.is_some() {
        cases.retain(|(name, _)| only.as_deref() == Some(name.as_str()));
    }
    for (name, view) in &cases {
        let (s, result) = time(runs, || catalogue.query(view));
        row(name, &s, &format!("{} items", result.items.len()));
    }

    // Sorts: first use on a fresh catalogue, then cached.
    for sort in SortKey::ALL
        .into_iter()
        .filter(|s| *s != SortKey::Relevance && only.is_none())
    {
        let view = view(|v| v.sort = Some(sort));
        let first_runs = if size >= 50_000 { 3 } else { 10 };
        let mut first = Vec::new();
        for _ in 0..first_runs {
            let fresh = Catalogue::from_feed(body.as_bytes()).unwrap();
            let start = Instant::now();
            black_box(fresh.query(&view));
            first.push(start.elapsed());
        }
        row(&format!("sort {} (first)", sort.code()), &stats(first), "");
        let (s, _) = time(runs, || catalogue.query(&view));
        row(&format!("sort {} (cached)", sort.code()), &s, "");
    }
}

/// A query on the partial catalogue after every slice, as a page showing
/// results while loading would run: sorted by title (an order extended
/// by a merge each time) and typed text.
fn loading_queries(body: &[u8]) {
    let mut builder = CatalogueBuilder::new();
    let (mut sorted, mut typed) = (Vec::new(), Vec::new());
    let title = view(|v| v.sort = Some(SortKey::Title));
    let text = view(|v| v.query = "blue".into());
    for slice in body.chunks(SLICE_BYTES) {
        builder.push(slice).unwrap();
        let start = Instant::now();
        black_box(builder.catalogue().query(&title));
        sorted.push(start.elapsed());
        let start = Instant::now();
        black_box(builder.catalogue().query(&text));
        typed.push(start.elapsed());
    }
    row(
        "  while loading: sort title",
        &stats(sorted),
        "after each slice",
    );
    row("  while loading: q=blue", &stats(typed), "after each slice");
}

/// Builds the catalogue once more, counting the heap it holds after
/// loading and the most it held while loading (beside the feed body).
fn report_memory(body: &[u8]) -> Catalogue {
    let feed_bytes = body.len();
    let before = reset_peak();
    let (catalogue, _, _) = index_in_slices(body);
    let (held, peak) = (HELD.load(Relaxed) - before, PEAK.load(Relaxed) - before);
    let n = catalogue.len().max(1);
    println!(
        "| heap: {:.0} B/item held after loading ({:.1} MB, {:.1}% of the feed), peak {:.1} MB while loading",
        held as f64 / n as f64,
        held as f64 / 1e6,
        100.0 * held as f64 / feed_bytes as f64,
        peak as f64 / 1e6
    );
    let before = catalogue.index_bytes();
    for sort in SortKey::ALL {
        catalogue.prepare_sort(sort);
    }
    let after = catalogue.index_bytes();
    println!(
        "| index memory: {:.0} B/item without sort orders, {:.0} B/item with every sort order ({:.1}% of the feed)",
        before as f64 / n as f64,
        after as f64 / n as f64,
        100.0 * after as f64 / feed_bytes as f64
    );
    println!(
        "| item store: {:.0} B/item",
        catalogue.store_bytes() as f64 / n as f64
    );
    catalogue
}

/// A repeat visit: the catalogue (every sort order built) to snapshot
/// bytes and back, and the first query on the restored catalogue.
fn report_snapshot(catalogue: &Catalogue, runs: usize, feed_bytes: usize) {
    let (encode, bytes) = time(runs, || catalogue.to_snapshot());
    row(
        "snapshot encode",
        &encode,
        &format!(
            "{:.1} MB ({:.1}% of the feed)",
            bytes.len() as f64 / 1e6,
            100.0 * bytes.len() as f64 / feed_bytes as f64
        ),
    );
    let before = reset_peak();
    let restored = Catalogue::from_snapshot(&bytes).unwrap();
    let (held, peak) = (HELD.load(Relaxed) - before, PEAK.load(Relaxed) - before);
    let (decode, _) = time(runs, || Catalogue::from_snapshot(&bytes).unwrap());
    row(
        "snapshot decode",
        &decode,
        &format!(
            "holds {:.1} MB, peak {:.1} MB beside the bytes",
            held as f64 / 1e6,
            peak as f64 / 1e6
        ),
    );
    let (first, _) = time(runs, || {
        Catalogue::from_snapshot(&bytes)
            .unwrap()
            .query(&ViewState::default())
    });
    row(
        "snapshot decode + query all",
        &first,
        &format!("{} items", restored.len()),
    );
    let sorted = view(|v| v.sort = Some(SortKey::Title));
    let (first, _) = time(runs, || {
        Catalogue::from_snapshot(&bytes).unwrap().query(&sorted)
    });
    row(
        "snapshot decode + sort title",
        &first,
        "the order comes restored",
    );
    let (show, _) = time(runs, || {
        (0..20)
            .map(|i| restored.item(i * 997 % restored.len() as u32))
            .collect::<Vec<_>>()
    });
    row("decode 20 items for display", &show, "");
}

fn main() {
    let sizes: Vec<usize> = std::env::var("QUERY_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 50_000]);
    let runs = std::env::var("QUERY_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(60);
    println!("# Query engine benchmark (native, release profile)");
    for size in sizes {
        bench(size, runs);
    }
}
