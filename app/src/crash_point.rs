//! Deterministic crash points for the crash-recovery tests.
//!
//! In a debug build (what the tests run), a node started with `HUB_CRASH_AT=<point>@<height>`
//! aborts, with no cleanup, when it reaches `<point>` of block `<height>`: the process dies as
//! under SIGKILL, its staged writes unflushed and its database not closed. Release builds (what
//! a validator runs) compile the hook to nothing, so no environment variable can stop them.
//!
//! The points, in the order a block reaches them (`tests/tests/localnet.rs` crashes a
//! validator at each and checks that it replays to its peers' app hashes):
//! - [`AFTER_FINALIZE`]: the block is executed and its writes staged, FinalizeBlock has not
//!   answered; CometBFT has saved the block, not its results.
//! - [`BEFORE_COMMIT_WRITE`]: CometBFT has saved the block's results and sent Commit; the
//!   staged writes are not written. cnidarium writes the tree nodes and the substores' data in
//!   one atomic RocksDB batch, so there is no state between the tree write and the data write
//!   to crash in: this point and the next are the two sides of that batch.
//! - [`AFTER_COMMIT_WRITE`]: the batch is written, Commit has not answered; CometBFT has not
//!   saved its state for the block, so on restart it is one block behind the app.

/// FinalizeBlock has executed the block and not yet answered.
pub const AFTER_FINALIZE: &str = "after-finalize";
/// Commit has begun and not yet written the block.
pub const BEFORE_COMMIT_WRITE: &str = "before-commit-write";
/// Commit has written the block and not yet answered.
pub const AFTER_COMMIT_WRITE: &str = "after-commit-write";

/// Aborts the process if `HUB_CRASH_AT` names `point` at `height` (debug builds only).
#[cfg(debug_assertions)]
pub fn reached(point: &str, height: u64) {
    let Ok(at) = std::env::var("HUB_CRASH_AT") else {
        return;
    };
    if at == format!("{point}@{height}") {
        tracing::error!(
            point,
            height,
            "crash point reached: aborting (HUB_CRASH_AT)"
        );
        std::process::abort();
    }
}

/// Release builds have no crash points.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn reached(_point: &str, _height: u64) {}
