//! Compiles the hub's own `.proto` files with protox (pure Rust: no system `protoc` needed).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "hub/auth/v1/auth.proto",
        "hub/ping/v1/ping.proto",
        "hub/interchain_upgrade/v1/packet.proto",
        "hub/interchain_upgrade/v1/tx.proto",
        "hub/interchain_upgrade/v1/query.proto",
        "cosmos/base/query/v1beta1/pagination.proto",
    ];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let fds = protox::compile(files, ["."])?;
    tonic_build::configure()
        // Paging uses the Cosmos SDK's own Rust types, so hub queries page like every other.
        .extern_path(
            ".cosmos.base.query.v1beta1",
            "::cosmos_sdk_proto::cosmos::base::query::v1beta1",
        )
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    Ok(())
}
