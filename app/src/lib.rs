//! The Hub runtimes and node: module composition, the ABCI++ v0.38 application, queries, gRPC,
//! and the `start` command that supervises CometBFT.
//!
//! - [`runtime`]: the exhaustive [`runtime::Msg`] enum over every module's messages, decoded
//!   once from `Any.type_url`, genesis composition and the block-hook order.
//! - [`exec`]: one transaction: decode → authenticate (auth) → fee (bank) → messages, each
//!   stage in its own copy-on-write overlay.
//! - [`app`]: the consensus state machine (InitChain, FinalizeBlock, Commit, Info) over
//!   cnidarium storage; [`mempool`]: CheckTx against a check-state.
//! - [`chain_state`]: the app's own records (chain id, latest block height and time, block
//!   gas limit) and the block context they give work outside a block.
//! - [`services`]: the gRPC route table of every module (service prefixes, methods, routing).
//! - [`query`]: `abci_query` (`store/<substore>/key` with ICS-23 proofs, gRPC-over-ABCI paths);
//!   [`grpc`]: the same query handlers over gRPC.
//! - [`staking`]: the staking module's bank adapter and FinalizeBlock evidence.
//! - [`genesis`]: the genesis check (`genesis validate`, `start`): the typed app state and every
//!   module's `init_genesis` on throwaway state.
//! - [`abci`]: the tower-abci server; [`node`]: `hubd start`; [`crash_point`]: the crash
//!   points of the recovery tests (debug builds only).

/// The allocator of every program built on the runtime (the nodes, their tests and
/// benchmarks): mimalloc. Allocation was a quarter of a block of IBC receives under glibc's
/// allocator (by profile); mimalloc's thread-local free lists take a fifth off the block
/// (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod abci;
pub mod app;
pub mod chain_state;
pub mod crash_point;
pub mod exec;
pub mod genesis;
pub mod gettx;
pub mod gov;
pub mod grpc;
pub mod ibc;
pub mod mempool;
pub mod node;
pub mod query;
pub mod read_cache;
pub mod runtime;
pub mod services;
pub mod staking;

pub use app::App;
pub use runtime::ChainConfig;
