//! Pages for citizens and companies: no account needed, usable without JavaScript.

pub mod home;
