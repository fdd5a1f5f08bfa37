//! The storage adapters: what the service keeps in its data directory. Knowledge-base versions,
//! moderators' feedback, and later trends, each in a module of its own behind plain types from
//! the core, so the core never learns how or where they are stored.

pub mod feedback;
