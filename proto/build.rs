//! Compiles the hub's own `.proto` files with protox (pure Rust: no system `protoc` needed).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "hub/auth/v1/auth.proto",
        "hub/ping/v1/ping.proto",
        "hub/interchain_upgrade/v1/packet.proto",
        "hub/interchain_upgrade/v1/tx.proto",
        "hub/interchain_upgrade/v1/query.proto",
        "hub/transfer/v1/query.proto",
        "hub/circuit/v1/circuit.proto",
        "hub/ratelimit/v1/queue.proto",
        "ibc/applications/rate_limiting/v1/rate_limiting.proto",
        "ibc/applications/rate_limiting/v1/tx.proto",
        "ibc/applications/rate_limiting/v1/query.proto",
        "cosmos/base/query/v1beta1/pagination.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let fds = protox::compile(files, ["."])?;
    let descriptors = prost::Message::encode_to_vec(&fds);
    tonic_build::configure()
        // Paging uses the Cosmos SDK's own Rust types, so hub queries page like every other.
        .extern_path(
            ".cosmos.base.query.v1beta1",
            "::cosmos_sdk_proto::cosmos::base::query::v1beta1",
        )
        .build_client(true)
        .build_server(true)
        .compile_fds_with_config(type_names(), fds)?;
    // Proto3 JSON (serde) for the same messages, as cosmos-sdk-proto and ibc-proto have: the
    // CLI builds requests and prints answers of every module the same way.
    pbjson_build::Builder::new()
        .register_descriptors(&descriptors)?
        .extern_path(
            ".cosmos.base.query.v1beta1",
            "::cosmos_sdk_proto::cosmos::base::query::v1beta1",
        )
        .build(&[".hub", ".ibc.applications.rate_limiting"])?;
    Ok(())
}

/// Every message knows its proto name (`prost::Name`), as cosmos-sdk-proto's and ibc-proto's do.
fn type_names() -> prost_build::Config {
    let mut config = prost_build::Config::new();
    config.enable_type_names();
    config
}
