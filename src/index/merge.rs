//! Which segments `add` merges, and when: after its last commit, and no merge reading more than a
//! bounded number of bytes.
//!
//! A merge reads its input segments through memory maps, and every page it touches counts in
//! the process's resident memory until the inputs are dropped. tantivy's default policy merges
//! eight similar segments whatever their size, so near the end of a 100,000-article `add` one
//! merge read about 700 MB of segments and peak RSS reached 1.1 GB. Bounding each merge's input
//! (and running at most [`MERGE_THREADS`] merges at a time) bounds that part of the memory, at
//! the price of a few more segments in a large index.
//!
//! Merges run only when `add` (or `rm`) has made its last commit, never while it adds and
//! deletes: the crash harness found a merge that overlapped a commit leaving an article's old
//! version alive beside its new one (tests/crash.rs, RELIABILITY.md). Then every segment under
//! half the bound is merged, smallest first, in merges within the bound: fewer segments to open
//! make a one-off search faster, and a run rewrites at most one bound's worth of old segments.
//!
//! Unless there are no more of those small segments than the writer has indexing threads (and
//! at most [`MAX_KEPT_SEGMENTS`]): a run's threads write a segment each, and merging just those
//! would cost the run more than the second segment costs a search (the 2023-24 file: 2.24 s
//! for `add` with two threads and no merge, 2.72 s with the merge, 2.46 s with one thread; a
//! segment adds about 0.4 ms to a one-off search). The next run that adds a segment merges
//! them all.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tantivy::index::{SegmentComponent, SegmentId, SegmentMeta};
use tantivy::indexer::{MergeCandidate, MergePolicy};

/// Most bytes of segments one merge reads.
pub const MAX_MERGE_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Most small segments a run leaves unmerged (one per indexing thread, up to this many): on a
/// machine with more cores, more segments would make every one-off search slower (about
/// 0.4 ms per segment), which only two were measured to be worth.
pub const MAX_KEPT_SEGMENTS: usize = 2;

/// Merges run at once: one, so at most [`MAX_MERGE_INPUT_BYTES`] of segments are mapped.
/// Two at a time made `add` of the kit's 100,000 articles faster (runs alternated: 34.1, 34.2,
/// 34.5 and 37.1 s against 38.4, 42.1 and 36.8 s) but its peak RSS reached 373-393 MB by hand
/// and 464 MB in kit run 20261125-063009, against a bound of 500 MB; with merges of at most
/// 192 MB it stayed at 300-305 MB but left 5 segments instead of 4, and a one-off search at
/// that size is already 1.21x tantivy-raw's against a bound of 1.3x.
pub const MERGE_THREADS: usize = 1;

/// No merges until [`BoundedMergePolicy::finishing`] is set; then, when there are more than
/// `keep` segments under half of `max_input` bytes, they are merged, in merges of at most
/// `max_input` bytes.
#[derive(Debug)]
pub struct BoundedMergePolicy {
    dir: PathBuf,
    max_input: u64,
    keep: usize,
    finishing: Arc<AtomicBool>,
}

impl BoundedMergePolicy {
    /// A policy for the index in `dir` (segment sizes are read from its files), leaving up to
    /// `keep` small segments unmerged.
    pub fn new(dir: PathBuf, max_input: u64, keep: usize) -> BoundedMergePolicy {
        BoundedMergePolicy {
            dir,
            max_input: max_input.max(1),
            keep,
            finishing: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Set it when the run's last documents are committed: merges may start.
    pub fn finishing(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.finishing)
    }

    /// Bytes of the segment's files on disk (0 for files not found).
    fn bytes(&self, meta: &SegmentMeta) -> u64 {
        [
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
            SegmentComponent::Terms,
            SegmentComponent::Store,
        ]
        .into_iter()
        .filter_map(|c| std::fs::metadata(self.dir.join(meta.relative_path(c))).ok())
        .map(|m| m.len())
        .sum()
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        // Nothing is merged while the run adds and deletes: see the module's documentation.
        if !self.finishing.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let sizes: HashMap<SegmentId, u64> =
            segments.iter().map(|m| (m.id(), self.bytes(m))).collect();
        let small: Vec<SegmentId> = segments
            .iter()
            .map(|m| m.id())
            .filter(|id| sizes[id] < self.max_input / 2)
            .collect();
        if small.len() <= self.keep {
            return Vec::new();
        }
        split(small, &sizes, self.max_input)
    }
}

/// Split one merge into merges of at least two segments and at most `max_input` bytes each,
/// smallest segments first. Every segment is under `max_input / 2`, so two always fit.
fn split(
    mut ids: Vec<SegmentId>,
    sizes: &HashMap<SegmentId, u64>,
    max_input: u64,
) -> Vec<MergeCandidate> {
    ids.sort_by_key(|id| sizes.get(id).copied().unwrap_or(0));
    let mut out = Vec::new();
    let mut group: Vec<SegmentId> = Vec::new();
    let mut total = 0u64;
    for id in ids {
        let size = sizes.get(&id).copied().unwrap_or(0);
        if group.len() >= 2 && total + size > max_input {
            out.push(MergeCandidate(std::mem::take(&mut group)));
            total = 0;
        }
        group.push(id);
        total += size;
    }
    if group.len() >= 2 {
        out.push(MergeCandidate(group));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<SegmentId> {
        (0..n).map(|_| SegmentId::generate_random()).collect()
    }

    #[test]
    fn a_merge_never_reads_more_than_the_bound() {
        let segs = ids(9);
        let sizes: HashMap<SegmentId, u64> = segs
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, 10 + 5 * i as u64))
            .collect();
        let merges = split(segs.clone(), &sizes, 100);
        assert!(!merges.is_empty());
        let mut seen = 0;
        for MergeCandidate(group) in &merges {
            let total: u64 = group.iter().map(|id| sizes[id]).sum();
            assert!(total <= 100, "a merge of {total} bytes");
            assert!(group.len() >= 2);
            seen += group.len();
        }
        // Only a last lone segment may be left out.
        assert!(seen >= segs.len() - 1);
    }

    #[test]
    fn under_the_bound_it_is_one_merge() {
        let segs = ids(8);
        let sizes: HashMap<SegmentId, u64> = segs.iter().map(|id| (*id, 10)).collect();
        let merges = split(segs, &sizes, 1_000);
        assert_eq!(merges.len(), 1);
        assert_eq!(merges[0].0.len(), 8);
    }

    /// Three segments of 1,000 documents, and a policy for them (its directory does not exist,
    /// so every segment reads as 0 bytes: small).
    fn three_segments(keep: usize) -> (Vec<SegmentMeta>, BoundedMergePolicy) {
        let index = tantivy::Index::create_in_ram(crate::index::schema::build().0);
        let metas: Vec<SegmentMeta> = (0..3)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 1_000))
            .collect();
        let dir = std::env::temp_dir().join("newsidx-no-such-index");
        (metas, BoundedMergePolicy::new(dir, 1_000, keep))
    }

    #[test]
    fn merges_wait_for_the_last_commit() {
        let (metas, policy) = three_segments(1);
        // Nothing while the run goes on.
        assert!(policy.compute_merge_candidates(&metas).is_empty());
        policy.finishing().store(true, Ordering::Relaxed);
        let merges = policy.compute_merge_candidates(&metas);
        assert_eq!(merges.len(), 1);
        assert_eq!(merges[0].0.len(), 3);
        // One segment has nothing to merge with.
        assert!(policy.compute_merge_candidates(&metas[..1]).is_empty());
    }

    #[test]
    fn as_many_segments_as_threads_are_left_alone() {
        let (metas, policy) = three_segments(2);
        policy.finishing().store(true, Ordering::Relaxed);
        assert!(policy.compute_merge_candidates(&metas[..2]).is_empty());
        let merges = policy.compute_merge_candidates(&metas);
        assert_eq!(merges.len(), 1);
        assert_eq!(merges[0].0.len(), 3);
    }
}
