//! The ARM client: ids and scopes, identities, role definitions, role assignments, retry,
//! paging and errors. Plain async Rust; no C types.

pub mod scope;
