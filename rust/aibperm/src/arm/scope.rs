//! ARM scopes and resource ids: parsed by ARM's grammar, compared segment by segment.
