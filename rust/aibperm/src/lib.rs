//! AibPermissions core: role generation for Azure VM Image Builder scenarios, an ARM client
//! for identities, role definitions and role assignments, token sources, and the C ABI that
//! the PowerShell module calls.

pub mod arm;
pub mod auth;
pub mod error;
pub mod ffi;
pub mod grant;
pub mod roles;

pub use error::{Error, ErrorKind, Result};

/// The library version, checked by the PowerShell module at import.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
