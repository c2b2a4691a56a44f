//! A protobuf message as a client fills it in and reads it: its field names, its proto3 JSON
//! form (the pbjson impls `cosmos-sdk-proto`, `ibc-proto` and `hub-proto` generate from the
//! `.proto` descriptors) and its wire bytes.
//!
//! The generated CLI is built from these: every gRPC method a module's route table lists
//! ([`crate::route::QueryMethod`]) and every message its `module_msgs!` enum accepts
//! ([`MsgForm`]) becomes a command whose flags are the message's fields — the Cosmos SDK's
//! AutoCLI idea, with no command written by hand.

use serde::{de::DeserializeOwned, Serialize};

/// One protobuf message type, erased to what a client needs. Build it with [`ProtoForm::of`].
#[derive(Clone, Copy)]
pub struct ProtoForm {
    /// The full proto name (`cosmos.bank.v1beta1.QueryBalanceRequest`).
    pub name: fn() -> String,
    /// The field names in declaration order, as the `.proto` spells them (`snake_case`).
    pub fields: fn() -> Vec<&'static str>,
    /// Proto3 JSON (camelCase or snake_case keys) → wire bytes. Errors: the JSON does not
    /// describe the message, naming the field.
    pub from_json: fn(serde_json::Value) -> Result<Vec<u8>, String>,
    /// Wire bytes → proto3 JSON. Errors: the bytes are not the message.
    pub to_json: fn(&[u8]) -> Result<serde_json::Value, String>,
}

impl std::fmt::Debug for ProtoForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.name)())
    }
}

impl ProtoForm {
    /// The form of `M`.
    pub const fn of<M>() -> Self
    where
        M: prost::Message + prost::Name + Default + Serialize + DeserializeOwned,
    {
        ProtoForm {
            name: M::full_name,
            fields: field_names::<M>,
            from_json: json_to_wire::<M>,
            to_json: wire_to_json::<M>,
        }
    }
}

/// A message a module accepts in a tx: its type URL and its form.
#[derive(Clone, Copy, Debug)]
pub struct MsgForm {
    /// `/cosmos.bank.v1beta1.MsgSend`.
    pub type_url: &'static str,
    /// Its fields and JSON.
    pub form: ProtoForm,
}

impl MsgForm {
    /// The message `M` under `type_url`.
    pub const fn of<M>(type_url: &'static str) -> Self
    where
        M: prost::Message + prost::Name + Default + Serialize + DeserializeOwned,
    {
        MsgForm {
            type_url,
            form: ProtoForm::of::<M>(),
        }
    }
}

fn json_to_wire<M: prost::Message + DeserializeOwned>(
    json: serde_json::Value,
) -> Result<Vec<u8>, String> {
    serde_path_to_error::deserialize::<_, M>(json)
        .map(|m| m.encode_to_vec())
        .map_err(|e| match e.path().to_string().as_str() {
            "." => e.inner().to_string(),
            path => format!("{path}: {}", e.inner()),
        })
}

fn wire_to_json<M: prost::Message + Default + Serialize>(
    bytes: &[u8],
) -> Result<serde_json::Value, String> {
    let message = M::decode(bytes).map_err(|e| e.to_string())?;
    serde_json::to_value(&message).map_err(|e| e.to_string())
}

/// The `.proto` field names of `M`, read from the field list its pbjson `Deserialize` impl
/// hands to `deserialize_struct` (which names each field both as the `.proto` spells it and
/// in camelCase; the camelCase twins are dropped).
pub fn field_names<M: DeserializeOwned>() -> Vec<&'static str> {
    let mut recorder = FieldRecorder(&[]);
    let _ = M::deserialize(&mut recorder);
    recorder
        .0
        .iter()
        .copied()
        .filter(|name| !name.chars().any(|c| c.is_ascii_uppercase()))
        .collect()
}

/// A deserializer that only records the field list of the struct asked for.
struct FieldRecorder(&'static [&'static str]);

#[derive(Debug)]
struct Recorded;

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names recorded")
    }
}

impl std::error::Error for Recorded {}

impl serde::de::Error for Recorded {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Recorded
    }
}

impl<'de> serde::Deserializer<'de> for &mut FieldRecorder {
    type Error = Recorded;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
        Err(Recorded)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Recorded> {
        self.0 = fields;
        Err(Recorded)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::bank::v1beta1::{MsgSend, QueryAllBalancesRequest};

    #[test]
    fn field_names_follow_the_proto_declaration_without_camel_case_twins() {
        assert_eq!(
            field_names::<QueryAllBalancesRequest>(),
            ["address", "pagination", "resolve_denom"]
        );
        assert_eq!(
            field_names::<MsgSend>(),
            ["from_address", "to_address", "amount"]
        );
    }

    #[test]
    fn json_round_trips_through_the_wire_form_and_names_a_bad_field() {
        let form = ProtoForm::of::<MsgSend>();
        let json = serde_json::json!({
            "from_address": "hub1a",
            "to_address": "hub1b",
            "amount": [{ "denom": "uhub", "amount": "5" }],
        });
        let wire = (form.from_json)(json).expect("valid MsgSend JSON");
        let back = (form.to_json)(&wire).expect("MsgSend bytes");
        assert_eq!(back["fromAddress"], "hub1a");
        assert_eq!(back["amount"][0]["amount"], "5");
        let err = (form.from_json)(serde_json::json!({ "amount": "five" })).unwrap_err();
        assert!(err.starts_with("amount"), "{err}");
        assert_eq!((form.name)(), "cosmos.bank.v1beta1.MsgSend");
    }
}
