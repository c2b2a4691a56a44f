//! The ABCI++ v0.38 server (tower-abci): four services over one [`App`], one [`Mempool`] and
//! one [`QueryService`].
//!
//! Consensus requests run one at a time behind a mutex (CometBFT sends them in order on one
//! connection); CheckTx has its own mutex and state; Info/Query read storage snapshots
//! concurrently.

use crate::app::{App, BlockResult};
use crate::exec::TxOutcome;
use crate::mempool::{CheckKind, Mempool, SharedMempool};
use crate::query::QueryService;
use hub_framework::ValidatorUpdate;
use std::sync::Arc;
use tendermint::abci::{response, types::ExecTxResult, Code};
use tendermint::v0_38::abci::{
    ConsensusRequest, ConsensusResponse, InfoRequest, InfoResponse, MempoolRequest,
    MempoolResponse, SnapshotRequest, SnapshotResponse,
};
use tokio::sync::Mutex;
use tower_abci::BoxError;

pub use crate::app::MAX_TX_BYTES;

/// Whether a tx may stand in a proposal: within the size limit and a decodable `TxRaw`.
/// (Anything else would only waste block space: FinalizeBlock would reject it.)
fn to_update(v: &ValidatorUpdate) -> Result<tendermint::validator::Update, BoxError> {
    Ok(tendermint::validator::Update {
        pub_key: tendermint::PublicKey::from_raw_ed25519(&v.pub_key)
            .ok_or("invalid ed25519 key")?,
        power: tendermint::vote::Power::try_from(v.power)?,
    })
}

fn exec_result(o: TxOutcome) -> ExecTxResult {
    ExecTxResult {
        code: Code::from(o.code),
        data: Default::default(),
        log: o.log,
        info: String::new(),
        gas_wanted: o.gas_wanted as i64,
        gas_used: o.gas_used as i64,
        events: o.events,
        codespace: o.codespace.into(),
    }
}

/// Handles one consensus request.
pub async fn consensus(
    app: &mut App,
    req: ConsensusRequest,
) -> Result<ConsensusResponse, BoxError> {
    Ok(match req {
        ConsensusRequest::InitChain(r) => {
            let (hash, vals) = app
                .init_chain_at(
                    &r.chain_id,
                    &r.app_state_bytes,
                    r.initial_height.value(),
                    r.time,
                    u64::try_from(r.consensus_params.block.max_gas).ok(),
                )
                .await?;
            tracing::info!(chain_id = %r.chain_id, app_hash = %hex::encode_upper(&hash), validators = vals.len(), "genesis committed");
            ConsensusResponse::InitChain(response::InitChain {
                consensus_params: None,
                validators: vals.iter().map(to_update).collect::<Result<_, _>>()?,
                app_hash: hash.try_into()?,
            })
        }
        ConsensusRequest::PrepareProposal(r) => {
            let txs = app.prepare_proposal(r.txs, r.max_tx_bytes).await?;
            ConsensusResponse::PrepareProposal(response::PrepareProposal { txs })
        }
        ConsensusRequest::ProcessProposal(r) => {
            let verdict = app.process_proposal(r.height.value(), r.time, &r.txs).await;
            ConsensusResponse::ProcessProposal(match verdict {
                Ok(()) => response::ProcessProposal::Accept,
                Err(reason) => {
                    tracing::warn!(height = %r.height, %reason, "rejecting a proposal");
                    response::ProcessProposal::Reject
                }
            })
        }
        ConsensusRequest::FinalizeBlock(r) => {
            // Wall-clock time is only logged (operators and benchmarks read it), never used
            // by the state machine.
            let started = std::time::Instant::now();
            let BlockResult {
                tx_results,
                events,
                validator_updates,
                app_hash,
            } = app
                .finalize_block(r.height.value(), r.time, &r.txs, &r.misbehavior)
                .await?;
            tracing::info!(
                height = %r.height,
                txs = tx_results.len(),
                finalize_us = started.elapsed().as_micros() as u64,
                "block executed"
            );
            ConsensusResponse::FinalizeBlock(response::FinalizeBlock {
                events,
                tx_results: tx_results.into_iter().map(exec_result).collect(),
                validator_updates: validator_updates
                    .iter()
                    .map(to_update)
                    .collect::<Result<_, _>>()?,
                consensus_param_updates: None,
                app_hash: app_hash.try_into()?,
            })
        }
        ConsensusRequest::Commit => {
            let started = std::time::Instant::now();
            let height = app.commit().await?;
            tracing::info!(
                height,
                commit_us = started.elapsed().as_micros() as u64,
                "committed"
            );
            ConsensusResponse::Commit(response::Commit {
                data: Default::default(),
                retain_height: 0u32.into(),
            })
        }
        ConsensusRequest::ExtendVote(_) => ConsensusResponse::ExtendVote(response::ExtendVote {
            vote_extension: Default::default(),
        }),
        ConsensusRequest::VerifyVoteExtension(_) => {
            ConsensusResponse::VerifyVoteExtension(response::VerifyVoteExtension::Accept)
        }
    })
}

/// Handles CheckTx.
pub async fn mempool(m: &mut Mempool, req: MempoolRequest) -> Result<MempoolResponse, BoxError> {
    let MempoolRequest::CheckTx(r) = req;
    let kind = match r.kind {
        tendermint::abci::request::CheckTxKind::New => CheckKind::New,
        tendermint::abci::request::CheckTxKind::Recheck => CheckKind::Recheck,
    };
    let o = if r.tx.len() > MAX_TX_BYTES {
        TxOutcome {
            code: 21,
            codespace: "sdk",
            log: format!("tx too large: {} bytes", r.tx.len()),
            ..Default::default()
        }
    } else {
        m.check_tx(&r.tx, kind).await
    };
    Ok(MempoolResponse::CheckTx(response::CheckTx {
        code: Code::from(o.code),
        log: o.log,
        gas_wanted: o.gas_wanted as i64,
        gas_used: o.gas_used as i64,
        codespace: o.codespace.into(),
        ..Default::default()
    }))
}

/// The Info/Query service state.
#[derive(Clone)]
pub struct InfoService {
    /// Storage for Info.
    pub storage: hub_framework::cnidarium::Storage,
    /// Queries.
    pub queries: QueryService,
}

impl InfoService {
    /// Handles Info, Query and Echo.
    pub async fn handle(&self, req: InfoRequest) -> Result<InfoResponse, BoxError> {
        Ok(match req {
            InfoRequest::Info(_) => {
                let version = self.storage.latest_version();
                let (height, hash) = if version == u64::MAX {
                    (0, Vec::new())
                } else {
                    (
                        version,
                        self.storage.latest_snapshot().root_hash().await?.0.to_vec(),
                    )
                };
                InfoResponse::Info(response::Info {
                    data: "hubd".into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    app_version: 1,
                    last_block_height: height.try_into()?,
                    last_block_app_hash: hash.try_into()?,
                })
            }
            InfoRequest::Query(q) => {
                let a = self
                    .queries
                    .abci_query(&q.path, &q.data, q.height.value(), q.prove)
                    .await;
                InfoResponse::Query(response::Query {
                    code: Code::from(a.code),
                    log: a.log,
                    info: String::new(),
                    index: 0,
                    key: a.key.into(),
                    value: a.value.into(),
                    proof: a.proofs.map(|ops| tendermint::merkle::proof::ProofOps {
                        ops: ops
                            .into_iter()
                            .map(
                                |(field_type, key, data)| tendermint::merkle::proof::ProofOp {
                                    field_type,
                                    key,
                                    data,
                                },
                            )
                            .collect(),
                    }),
                    height: a.height.try_into()?,
                    codespace: a.codespace,
                })
            }
            InfoRequest::Echo(e) => InfoResponse::Echo(response::Echo { message: e.message }),
        })
    }
}

/// Removes a socket file left by a node that stopped without cleaning up, so that the server can
/// bind its path again. A socket that still accepts connections belongs to a running node.
///
/// Errors: the path is held by a live server, or is not a socket.
fn remove_stale_socket(path: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::FileTypeExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_socket() {
        anyhow::bail!("{} exists and is not a socket", path.display());
    }
    if std::os::unix::net::UnixStream::connect(path).is_ok() {
        anyhow::bail!(
            "another node serves ABCI on {}: stop it first",
            path.display()
        );
    }
    std::fs::remove_file(path).map_err(|e| anyhow::anyhow!("removing {}: {e}", path.display()))
}

/// Runs the ABCI server on `addr` (`tcp://host:port` or `unix://path`) until it fails;
/// `Query` is answered by `queries` (the same service as gRPC), CheckTx by `mempool` (the one
/// `queries` simulates on).
pub async fn serve(
    app: App,
    mempool: SharedMempool,
    queries: QueryService,
    addr: &str,
) -> anyhow::Result<()> {
    let storage = app.storage();
    let info = InfoService { storage, queries };
    let app = Arc::new(Mutex::new(app));
    let consensus_svc = tower::service_fn(move |req: ConsensusRequest| {
        let app = app.clone();
        async move { consensus(&mut *app.lock().await, req).await }
    });
    let mempool_svc = tower::service_fn(move |req: MempoolRequest| {
        let m = mempool.clone();
        async move { crate::abci::mempool(&mut *m.lock().await, req).await }
    });
    let info_svc = tower::service_fn(move |req: InfoRequest| {
        let i = info.clone();
        async move { i.handle(req).await }
    });
    let snapshot_svc = tower::service_fn(|req: SnapshotRequest| async move {
        Ok::<_, BoxError>(match req {
            SnapshotRequest::ListSnapshots => SnapshotResponse::ListSnapshots(Default::default()),
            SnapshotRequest::OfferSnapshot(_) => {
                SnapshotResponse::OfferSnapshot(Default::default())
            }
            SnapshotRequest::LoadSnapshotChunk(_) => {
                SnapshotResponse::LoadSnapshotChunk(Default::default())
            }
            SnapshotRequest::ApplySnapshotChunk(_) => {
                SnapshotResponse::ApplySnapshotChunk(Default::default())
            }
        })
    });
    let server = tower_abci::v038::Server::builder()
        .consensus(consensus_svc)
        .mempool(mempool_svc)
        .info(info_svc)
        .snapshot(snapshot_svc)
        .finish()
        .ok_or_else(|| anyhow::anyhow!("incomplete ABCI server"))?;
    if let Some(path) = addr.strip_prefix("unix://") {
        remove_stale_socket(std::path::Path::new(path))?;
        server
            .listen_unix(path)
            .await
            .map_err(|e| anyhow::anyhow!("ABCI server: {e}"))
    } else {
        let hostport = addr.strip_prefix("tcp://").unwrap_or(addr);
        serve_tcp(server, hostport).await
    }
}

/// What tower-abci's server needs of the service behind each of CometBFT's four ABCI
/// connections (consensus, mempool, info, snapshot).
trait Connection<Req, Resp>:
    tower::Service<Req, Response = Resp, Error = BoxError, Future: Send + 'static>
    + Send
    + Clone
    + 'static
{
}

impl<T, Req, Resp> Connection<Req, Resp> for T where
    T: tower::Service<Req, Response = Resp, Error = BoxError, Future: Send + 'static>
        + Send
        + Clone
        + 'static
{
}

/// Serves ABCI on TCP `hostport` with `TCP_NODELAY`.
///
/// CometBFT's client writes a request and its Flush separately and our server answers in two
/// writes too; with Nagle's algorithm the second small write waits for the delayed ACK of the
/// first, about 40 ms per call (each relayer proof query included). tower-abci binds its own
/// TCP listener without `TCP_NODELAY`, so the server listens on a private unix socket and
/// this accept loop relays each TCP connection (with `TCP_NODELAY`) to it byte for byte.
///
/// Errors: `hostport` cannot be bound, or the private socket cannot be created.
async fn serve_tcp<C, M, I, S>(
    server: tower_abci::v038::Server<C, M, I, S>,
    hostport: &str,
) -> anyhow::Result<()>
where
    C: Connection<ConsensusRequest, ConsensusResponse>,
    M: Connection<MempoolRequest, MempoolResponse>,
    I: Connection<InfoRequest, InfoResponse>,
    S: Connection<SnapshotRequest, SnapshotResponse>,
{
    let listener = tokio::net::TcpListener::bind(hostport)
        .await
        .map_err(|e| anyhow::anyhow!("ABCI server on {hostport}: {e}"))?;
    // A directory only this user may enter (the home's path may be too long for a socket,
    // which is why the node listens on TCP), so no other local user reaches the socket.
    let dir = std::env::temp_dir().join(format!("hubd-abci-{}", std::process::id()));
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
    }
    let inner = dir.join("abci.sock");
    remove_stale_socket(&inner)?;
    let server_path = inner.clone();
    let mut server_task = tokio::spawn(async move { server.listen_unix(server_path).await });
    tracing::info!(%hostport, inner = %inner.display(), "ABCI server on tcp (TCP_NODELAY)");
    loop {
        tokio::select! {
            done = &mut server_task => {
                return match done {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(anyhow::anyhow!("ABCI server: {e}")),
                    Err(e) => Err(anyhow::anyhow!("ABCI server task: {e}")),
                };
            }
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    let inner = inner.clone();
                    tokio::spawn(async move {
                        if let Err(e) = relay_abci_connection(socket, &inner).await {
                            tracing::warn!(%peer, "ABCI connection ended: {e}");
                        }
                    });
                }
                Err(e) => tracing::error!("accepting an ABCI connection: {e}"),
            },
        }
    }
}

/// Relays one CometBFT connection to the server's private socket until either side closes.
async fn relay_abci_connection(
    mut socket: tokio::net::TcpStream,
    inner: &std::path::Path,
) -> anyhow::Result<()> {
    socket.set_nodelay(true)?;
    // The server binds its socket in its own task: wait for it briefly on the first call.
    let mut attempts = 0;
    let mut upstream = loop {
        match tokio::net::UnixStream::connect(inner).await {
            Ok(stream) => break stream,
            Err(e) if attempts < 50 => {
                attempts += 1;
                tracing::debug!("waiting for the ABCI server socket: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(e) => anyhow::bail!(
                "connecting to the ABCI server socket {}: {e}",
                inner.display()
            ),
        }
    };
    tokio::io::copy_bidirectional(&mut socket, &mut upstream).await?;
    Ok(())
}
