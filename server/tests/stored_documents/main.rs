//! Stored JSON documents (`store::documents`): every frozen fixture row — written by the server
//! before the store had types of its own — still reads, to the very values it was written from,
//! and is written back unchanged but for the version marker; API → store → API is the identity;
//! a version this server does not know is refused.
//!
//! The fixtures (`server/tests/fixtures/documents/`, see the README there) are never regenerated
//! by a test: they are the format old databases hold.

mod fixtures;
mod old_rows;
mod round_trip;
mod versions;
