//! Who is signed in, for every page: one resource, read by the header and the role guards.

use leptos::prelude::*;

use crate::api::{ApiError, Me, auth};

#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Result<Me, ApiError>>,
    version: RwSignal<u32>,
}

impl Session {
    pub fn provide() -> Self {
        let version = RwSignal::new(0u32);
        let me = Resource::new(move || version.get(), |_| auth::me());
        let session = Session { me, version };
        provide_context(session);
        session
    }

    pub fn get() -> Self {
        expect_context::<Session>()
    }

    /// Re-reads the session (after login, logout or a profile change).
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}
