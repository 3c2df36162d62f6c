//! The C ABI: handles, statuses, buffers, operations and the log.
