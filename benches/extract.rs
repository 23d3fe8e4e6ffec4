//! Extraction throughput (MB of article text per second, one thread): cleaning, tagging,
//! quotes and facts, on the bundled corpus and, when `../shared/corpus` is beside the
//! checkout, on the first 2,000 articles of its 2023-24 JSON Lines file (or the file named
//! by `NEWSIDX_BENCH_JSONL`).
//!
//! `cargo bench --bench extract` (criterion; reports in `target/criterion/`).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsidx::extract::Extractor;
use newsidx::kb::Kb;
use newsidx::source::{self, Article, Format};

/// Articles of every file under `dir` (or of one file).
fn articles(path: &Path, limit: usize) -> Vec<Article> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for f in files {
        let Some(format) = Format::of(&f) else {
            continue;
        };
        let read = source::read_document(&f, format, 1 << 30);
        out.extend(read.items.into_iter().filter_map(Result::ok));
        if out.len() >= limit {
            out.truncate(limit);
            break;
        }
    }
    out
}

fn bench_set(c: &mut Criterion, ex: &Extractor, name: &str, set: &[Article]) {
    if set.is_empty() {
        return;
    }
    let bytes: usize = set.iter().map(|a| a.title.len() + a.body.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter(|| {
            for a in set {
                std::hint::black_box(ex.extract(a));
            }
        })
    });
    group.finish();
}

fn extraction(c: &mut Criterion) {
    let ex = Extractor::new(Kb::builtin());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench_set(
        c,
        &ex,
        "bundled corpus",
        &articles(&root.join("corpus"), usize::MAX),
    );
    let shared = std::env::var_os("NEWSIDX_BENCH_JSONL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus/news-2023-2024.jsonl"));
    if shared.is_file() {
        bench_set(
            c,
            &ex,
            "2023-24 news, 2,000 articles",
            &articles(&shared, 2000),
        );
    }
}

fn knowledge_base(c: &mut Criterion) {
    c.bench_function("compile knowledge base", |b| {
        b.iter(|| Extractor::new(Kb::builtin()))
    });
}

criterion_group!(benches, extraction, knowledge_base);
criterion_main!(benches);
