//! Link the `newsidx` binary as a position-dependent executable on Linux (glibc).
//!
//! A position-independent executable is relocated by the dynamic loader at every start: about
//! 44,000 relocations for newsidx (most from the static tables of its dependencies), each
//! write landing on a copy-on-write page. A one-off `newsidx search` spends most of its time
//! in the kernel, and this was the largest part of it we control: median of 40 runs of
//! `newsidx search --json hamstring` on a 100,000-article index, 6.1-6.4 ms as a PIE,
//! 4.4-5.2 ms linked with `-no-pie` (BENCHMARKS.md). Go links this way by default too.
//!
//! The trade-off: the executable's own code is not at a random address (shared libraries,
//! heap and stack still are). Build with `NEWSIDX_PIE=1` to keep the default PIE.

fn main() {
    println!("cargo:rerun-if-env-changed=NEWSIDX_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let pie = std::env::var_os("NEWSIDX_PIE").is_some_and(|v| v == "1");
    if os == "linux" && env == "gnu" && !pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
