//! The Az role definition file formats: flat and `Permissions`.

use serde::{Deserialize, Serialize};

use super::RoleDefinition;
use crate::{Error, Result};

/// Which Az input-file layout a role file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleFileFormat {
    /// `Actions`, `NotActions`, `DataActions`, `NotDataActions` at the top level.
    Flat,
    /// One `Permissions` block holding the four lists (Az.Resources 10 and later).
    Permissions,
}

/// Parses an Az role file (flat or `Permissions` format, UTF-8 with or without BOM).
pub fn parse_role_file(bytes: &[u8]) -> Result<(RoleFileFormat, RoleDefinition)> {
    let _ = bytes;
    Err(Error::internal(
        "role file parsing is not available in this build",
    ))
}

/// Writes `role` in `format`: indented JSON, LF line ends, Az's field order.
pub fn render_role_file(role: &RoleDefinition, format: RoleFileFormat) -> Result<Vec<u8>> {
    let _ = (role, format);
    Err(Error::internal(
        "role file rendering is not available in this build",
    ))
}
