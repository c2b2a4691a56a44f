//! The gRPC server: every method that [`QueryService::grpc`] answers over `abci_query` is also
//! served over gRPC (h2c), through one generic handler, so the two can never disagree.
//!
//! Requests may carry `x-cosmos-block-height` (Cosmos SDK convention, used by Hermes) to query
//! a past height; responses carry it back.

use crate::query::QueryService;
use axum::body::Body;
use hub_framework::ModuleError;
use std::net::SocketAddr;
use tonic::codec::{BufferSettings, Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::{Request, Response, Status};

/// Passes protobuf bytes through unchanged; the handlers decode them.
#[derive(Clone, Copy, Default)]
struct RawCodec;

struct RawEncoder;
struct RawDecoder;

impl Encoder for RawEncoder {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        use bytes::BufMut;
        dst.put_slice(&item);
        Ok(())
    }
    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}

impl Decoder for RawDecoder {
    type Item = Vec<u8>;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        use bytes::Buf;
        let mut out = vec![0u8; src.remaining()];
        src.copy_to_slice(&mut out);
        Ok(Some(out))
    }
}

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawEncoder;
    type Decoder = RawDecoder;
    fn encoder(&mut self) -> RawEncoder {
        RawEncoder
    }
    fn decoder(&mut self) -> RawDecoder {
        RawDecoder
    }
}

/// Maps a module error to a gRPC status: `sdk`/38 → NotFound, `sdk`/6 → Unimplemented (with
/// the `unknown method` wording clients look for), everything else → InvalidArgument (or
/// Internal for code 1). The message keeps codespace and code.
pub fn to_status(e: &ModuleError) -> Status {
    let msg = format!("{} [codespace {} code {}]", e.log, e.codespace, e.code);
    match (e.codespace, e.code) {
        ("sdk", 38) => Status::not_found(msg),
        ("sdk", 6) => Status::unimplemented(msg),
        ("sdk", 1) => Status::internal(msg),
        _ => Status::invalid_argument(msg),
    }
}

#[derive(Clone)]
struct Method {
    path: String,
    queries: QueryService,
    cometbft_rpc: Option<String>,
}

impl tonic::server::UnaryService<Vec<u8>> for Method {
    type Response = Vec<u8>;
    type Future = futures::future::BoxFuture<'static, Result<Response<Vec<u8>>, Status>>;
    fn call(&mut self, req: Request<Vec<u8>>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let height = req
                .metadata()
                .get("x-cosmos-block-height")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
            if this.path == "/cosmos.tx.v1beta1.Service/GetTx" {
                let rpc = this
                    .cometbft_rpc
                    .as_deref()
                    .ok_or_else(|| Status::unavailable("no CometBFT RPC configured"))?;
                let r = prost::Message::decode(req.get_ref().as_slice())
                    .map_err(|e| Status::invalid_argument(e.to_string()))?;
                return Ok(Response::new(prost::Message::encode_to_vec(
                    &crate::gettx::get_tx(rpc, &r).await?,
                )));
            }
            let snap = this.queries.snapshot(height).map_err(|e| to_status(&e))?;
            let version = snap.version();
            let out = this
                .queries
                .grpc(&this.path, req.get_ref(), &snap)
                .await
                .map_err(|e| to_status(&e))?;
            let mut resp = Response::new(out);
            if let Ok(v) = version.to_string().parse() {
                resp.metadata_mut().insert("x-cosmos-block-height", v);
            }
            Ok(resp)
        })
    }
}

async fn handle(method: Method, req: http::Request<Body>) -> http::Response<tonic::body::Body> {
    let method = Method {
        path: req.uri().path().to_string(),
        ..method
    };
    let mut grpc = tonic::server::Grpc::new(RawCodec);
    grpc.unary(method, req).await
}

/// Serves gRPC on `addr` until the process stops. `cometbft_rpc` (`http://host:port`) is where
/// `GetTx` reads committed transactions; without it `GetTx` answers Unavailable.
pub async fn serve(
    addr: SocketAddr,
    queries: QueryService,
    cometbft_rpc: Option<String>,
) -> anyhow::Result<()> {
    let base = Method {
        path: String::new(),
        queries,
        cometbft_rpc,
    };
    let router = axum::Router::new().fallback(move |req: http::Request<Body>| {
        let m = base.clone();
        async move { handle(m, req).await }
    });
    tonic::transport::Server::builder()
        .add_routes(tonic::service::Routes::from(router))
        .serve(addr)
        .await?;
    Ok(())
}
