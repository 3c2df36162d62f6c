//! AIB scenarios to role definitions, Az role file formats and action validation.
