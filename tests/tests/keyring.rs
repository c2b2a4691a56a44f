//! The operator's keyring through the real `hubd` binary: a new home keeps keys encrypted
//! (`file` backend) unless told otherwise, and every secret needs the passphrase.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
use hub_e2e::*;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `hubd args… --home home`, feeding `stdin` (nothing at all when `None`).
fn hubd(home: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    run_with_stdin(
        Command::new(bin("hubd")).args(args).arg("--home").arg(home),
        stdin,
    )
}

fn ok(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn refused(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "unexpectedly succeeded: {stderr}");
    assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
}

#[test]
fn an_operators_new_home_keeps_keys_encrypted_and_every_secret_needs_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("op");
    let home_s = home.to_str().unwrap();
    run_ok(Command::new(bin("hubd")).args(["init", "op", "--home", home_s]));
    let client = std::fs::read_to_string(home.join("config/client.toml")).unwrap();
    assert!(client.contains("keyring-backend = \"file\""), "{client}");

    // The first key chooses the passphrase (entered twice); a mismatch writes nothing.
    refused(
        &hubd(
            &home,
            &["keys", "add", "op", "-o", "json"],
            Some("hunter22\nhunter23\n"),
        ),
        "differ",
    );
    let added = ok(&hubd(
        &home,
        &["keys", "add", "op", "-o", "json"],
        Some("hunter22\nhunter22\n"),
    ));
    let mnemonic = added["mnemonic"].as_str().unwrap().to_owned();
    let address = added["address"].as_str().unwrap().to_owned();
    let file = std::fs::read_to_string(home.join("keyring-file/op.json")).unwrap();
    for word in mnemonic.split(' ') {
        assert!(
            !file.contains(&format!("{word} ")),
            "{word} on disk: {file}"
        );
    }
    assert!(!home.join("keyring-test").exists());

    // Public parts need no passphrase.
    let shown = ok(&hubd(&home, &["keys", "show", "op", "-o", "json"], None));
    assert_eq!(shown["address"], address.as_str());

    // Secrets do: none, a wrong one, then the right one.
    refused(
        &hubd(&home, &["keys", "export", "op"], None),
        "--keyring-backend test",
    );
    refused(
        &hubd(&home, &["keys", "export", "op"], Some("hunter23\n")),
        "incorrect keyring passphrase",
    );
    let exported = ok(&hubd(
        &home,
        &["keys", "export", "op", "-o", "json"],
        Some("hunter22\n"),
    ));
    assert_eq!(exported["mnemonic"], mnemonic.as_str());

    // A second key must use the same passphrase.
    refused(
        &hubd(&home, &["keys", "add", "two"], Some("another1\n")),
        "incorrect keyring passphrase",
    );
    ok(&hubd(
        &home,
        &["keys", "add", "two", "-o", "json"],
        Some("hunter22\n"),
    ));

    // The plaintext backend only when asked, in its own directory.
    let throwaway = ok(&hubd(
        &home,
        &[
            "keys",
            "add",
            "dev",
            "--keyring-backend",
            "test",
            "-o",
            "json",
        ],
        None,
    ));
    let plain = std::fs::read_to_string(home.join("keyring-test/dev.json")).unwrap();
    assert!(plain.contains(throwaway["mnemonic"].as_str().unwrap()));
    let listed = ok(&hubd(&home, &["keys", "list", "-o", "json"], None));
    let names: Vec<_> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["op", "two"]);
}
