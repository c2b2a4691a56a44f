//! Shape checks of a plan, shared by governance, the hub's dispatch and the spoke's receiver.
//!
//! `info` is cosmovisor's JSON: `{"binaries":{"<os>/<arch>":"<url>?checksum=sha256:<hex>"}}`.
//! A plan is valid only if every binary carries a sha256 (64 hex digits), so that a node never
//! switches to code nobody pinned.

use crate::UpgradeError;
use hub_framework::ModuleError;
use std::collections::BTreeMap;

/// The platform key of the binaries this chain's nodes run (cosmovisor's `GOOS/GOARCH`).
pub const PLATFORM: &str = "linux/amd64";

/// Longest plan name, in bytes (a directory name under `cosmovisor/upgrades/`).
pub const MAX_NAME_LEN: usize = 140;

/// Longest plan info, in bytes.
pub const MAX_INFO_LEN: usize = 4096;

/// The parsed `info` of a plan: platform → (url, sha256).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanInfo {
    /// `"linux/amd64"` (or `"any"`) → (url without the checksum query, 32-byte sha256).
    pub binaries: BTreeMap<String, (String, [u8; 32])>,
}

impl PlanInfo {
    /// Parses cosmovisor's plan info.
    ///
    /// Errors: `upgrade`/100 if it is not JSON `{"binaries":{…}}`, has no binary, or a binary
    /// URL lacks `checksum=sha256:<64 hex digits>`.
    pub fn parse(info: &str) -> Result<Self, ModuleError> {
        let bad = |m: String| ModuleError::from(UpgradeError::InvalidPlan(m));
        #[derive(serde::Deserialize)]
        struct Raw {
            binaries: BTreeMap<String, String>,
        }
        let raw: Raw = serde_json::from_str(info).map_err(|e| {
            bad(format!(
                "info must be JSON {{\"binaries\":{{\"{PLATFORM}\":\"<url>?checksum=sha256:<hex>\"}}}}: {e}"
            ))
        })?;
        if raw.binaries.is_empty() {
            return Err(bad("info lists no binaries".into()));
        }
        let mut binaries = BTreeMap::new();
        for (platform, url) in raw.binaries {
            let sum = checksum_of(&url).ok_or_else(|| {
                bad(format!(
                    "binary for {platform} has no sha256: its URL must end with ?checksum=sha256:<64 hex digits>"
                ))
            })?;
            let base = url.split('?').next().unwrap_or_default().to_string();
            binaries.insert(platform, (base, sum));
        }
        Ok(PlanInfo { binaries })
    }

    /// The sha256 of the binary for `platform` (or the `any` entry).
    pub fn checksum_for(&self, platform: &str) -> Option<[u8; 32]> {
        self.binaries
            .get(platform)
            .or_else(|| self.binaries.get("any"))
            .map(|(_, sum)| *sum)
    }
}

/// The `sha256:<hex>` value of a URL's `checksum` query parameter.
fn checksum_of(url: &str) -> Option<[u8; 32]> {
    let query = url.split_once('?')?.1;
    let value = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("checksum="))?;
    let hex_sum = value.strip_prefix("sha256:")?;
    let bytes = hex::decode(hex_sum).ok()?;
    bytes.try_into().ok()
}

/// Stateless checks of a plan: a name of 1–140 bytes of `[A-Za-z0-9._-]`, a positive height,
/// and an info of at most 4096 bytes that [`PlanInfo::parse`] accepts.
///
/// Errors: `upgrade`/100 naming the field.
pub fn validate_plan(name: &str, height: i64, info: &str) -> Result<PlanInfo, ModuleError> {
    let bad = |m: String| ModuleError::from(UpgradeError::InvalidPlan(m));
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(bad(format!(
            "name must be 1 to {MAX_NAME_LEN} bytes, got {}",
            name.len()
        )));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    {
        return Err(bad(format!(
            "name {name:?} may contain only letters, digits, '.', '_' and '-'"
        )));
    }
    if height <= 0 {
        return Err(bad(format!("height must be positive, got {height}")));
    }
    if info.len() > MAX_INFO_LEN {
        return Err(bad(format!(
            "info is {} bytes, more than {MAX_INFO_LEN}",
            info.len()
        )));
    }
    PlanInfo::parse(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUM: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn a_plan_with_a_checksum_per_binary_is_valid() {
        let info =
            format!(r#"{{"binaries":{{"linux/amd64":"file:///b/spoked?checksum=sha256:{SUM}"}}}}"#);
        let p = validate_plan("v2", 10, &info).unwrap();
        assert_eq!(hex::encode(p.checksum_for(PLATFORM).unwrap()), SUM);
        assert_eq!(p.binaries[PLATFORM].0, "file:///b/spoked");
    }

    #[test]
    fn missing_or_malformed_checksums_and_bad_fields_are_refused() {
        let cases = [
            (
                "v2",
                10,
                r#"{"binaries":{"linux/amd64":"file:///b/spoked"}}"#.to_string(),
                "no sha256",
            ),
            (
                "v2",
                10,
                r#"{"binaries":{"linux/amd64":"file:///b?checksum=md5:00"}}"#.to_string(),
                "no sha256",
            ),
            (
                "v2",
                10,
                format!(
                    r#"{{"binaries":{{"linux/amd64":"f?checksum=sha256:{}"}}}}"#,
                    &SUM[..60]
                ),
                "no sha256",
            ),
            ("v2", 10, r#"{"binaries":{}}"#.to_string(), "no binaries"),
            ("v2", 10, "not json".to_string(), "must be JSON"),
            (
                "",
                10,
                format!(r#"{{"binaries":{{"any":"f?checksum=sha256:{SUM}"}}}}"#),
                "name must be",
            ),
            (
                "a/b",
                10,
                format!(r#"{{"binaries":{{"any":"f?checksum=sha256:{SUM}"}}}}"#),
                "may contain only",
            ),
            (
                "v2",
                0,
                format!(r#"{{"binaries":{{"any":"f?checksum=sha256:{SUM}"}}}}"#),
                "height must be positive",
            ),
        ];
        for (name, height, info, want) in cases {
            let e = validate_plan(name, height, &info).unwrap_err();
            assert_eq!((e.codespace, e.code), ("upgrade", 100), "{name} {info}");
            assert!(e.log.contains(want), "{}: wanted {want}", e.log);
        }
    }
}
