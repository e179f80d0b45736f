//! Fieldless enums that cross the boundary as their names (`"cloudflare_blocked"`, `"high"`).
//!
//! serde's derive reads and writes exactly these strings, but through its general enum
//! machinery (`{ "variant": payload }` forms, visitors, identifiers), instantiated once per
//! enum: several KB of WebAssembly for eleven enums. Here each enum lists its names once; all
//! of them share one string read, and the names stay the serialized contract they were (a
//! test checks them against the `snake_case` the derive used).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// Reads a name and looks it up; an unknown name is refused as serde's derive refuses it.
pub fn deserialize<'de, D: Deserializer<'de>, T>(
    d: D,
    from_id: fn(&str) -> Option<T>,
    ids: &'static [&'static str],
) -> Result<T, D::Error> {
    let id = String::deserialize(d)?;
    from_id(&id).ok_or_else(|| D::Error::unknown_variant(&id, ids))
}

/// `VARIANTS`, `IDS`, `id()` and `from_id()` for a fieldless enum, from its variants and their
/// names; with `else V`, an unknown name reads as `V`.
macro_rules! named {
    ($t:ident { $($v:ident = $id:literal),+ $(,)? } $(else $other:ident)?) => {
        impl $t {
            pub const VARIANTS: &'static [$t] = &[$($t::$v),+];
            pub const IDS: &'static [&'static str] = &[$($id),+];

            /// The name it is serialized as.
            pub fn id(self) -> &'static str {
                match self {
                    $($t::$v => $id),+
                }
            }

            pub fn from_id(id: &str) -> ::core::option::Option<$t> {
                match id {
                    $($id => ::core::option::Option::Some($t::$v),)+
                    _ => $crate::named::named!(@other $($t::$other)?),
                }
            }
        }
    };
    (@other) => { ::core::option::Option::None };
    (@other $other:expr) => { ::core::option::Option::Some($other) };
}

/// [`named!`], and `Serialize` / `Deserialize` as the name.
macro_rules! serde_by_name {
    ($t:ident $($rest:tt)*) => {
        $crate::named::named!($t $($rest)*);

        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_unit_variant(stringify!($t), *self as u32, self.id())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<$t, D::Error> {
                $crate::named::deserialize(d, $t::from_id, $t::IDS)
            }
        }
    };
}

pub(crate) use {named, serde_by_name};

#[cfg(test)]
mod tests {
    use crate::page::diagnosis::{Confidence, EvidenceSource};
    use crate::page::kind::ErrorKind;
    use crate::page::snapshot::RegionKind;
    use crate::plans::retry::{RetryEvent, RetryOutcome, WaitBasis};
    use crate::plans::site_data::{Browser, ClearTier};
    use crate::plans::status::ServiceState;
    use crate::respond::advice::ActionId;

    /// `CloudflareBlocked` → `cloudflare_blocked`, as `rename_all = "snake_case"` did.
    fn snake_case(variant: &str) -> String {
        let mut out = String::new();
        for (i, c) in variant.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        variants: &[T],
        ids: &[&str],
        id: fn(T) -> &'static str,
        from_id: fn(&str) -> Option<T>,
    ) {
        assert_eq!(variants.len(), ids.len());
        for (&v, &name) in variants.iter().zip(ids) {
            assert_eq!(name, snake_case(&format!("{v:?}")));
            assert_eq!(id(v), name);
            assert_eq!(from_id(name), Some(v));
        }
    }

    macro_rules! check {
        ($($t:ident),+) => {
            $(check($t::VARIANTS, $t::IDS, $t::id, $t::from_id);)+
        };
    }

    #[test]
    fn every_enum_keeps_its_snake_case_names() {
        check!(
            ErrorKind,
            Confidence,
            EvidenceSource,
            ServiceState,
            ActionId,
            ClearTier,
            Browser,
            WaitBasis,
            RetryOutcome,
            RetryEvent,
            RegionKind
        );
        assert_eq!(ErrorKind::VARIANTS, ErrorKind::ALL);
    }

    #[test]
    fn names_are_json_strings_and_unknown_ones_are_refused() {
        let json = serde_json::to_string(&[ServiceState::PartialOutage, ServiceState::Unknown]);
        assert_eq!(json.unwrap(), r#"["partial_outage","unknown"]"#);
        let back: Vec<ClearTier> = serde_json::from_str(r#"["site_data","full_reset"]"#).unwrap();
        assert_eq!(back, [ClearTier::SiteData, ClearTier::FullReset]);
        let err = serde_json::from_str::<ErrorKind>(r#""martian""#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown variant `martian`, expected one of"),
            "{err}"
        );
        assert!(serde_json::from_str::<Confidence>("5").is_err());
        assert!(serde_json::from_str::<Confidence>("null").is_err());
        // Only the region kind has a catch-all.
        let kind: RegionKind = serde_json::from_str(r#""martian""#).unwrap();
        assert_eq!(kind, RegionKind::Unknown);
    }
}
