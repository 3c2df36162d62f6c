//! Token sources: a static access token and azure_identity credentials.
