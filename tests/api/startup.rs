use std::sync::Arc;

use scenario_tests::{Store, TestDatabase, settings_for};
use server::{
    Application,
    config::{ConfigError, Mode},
    time_source::SystemClock,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_mode_refuses_to_start_without_a_session_secret() {
    let db = TestDatabase::create(Store::from_env()).await;
    let mut settings = settings_for(&db.url, false);
    settings.mode = Mode::Production;
    settings.session_secret = None;
    let err = Application::build_with_clock(settings, Arc::new(SystemClock))
        .await
        .err()
        .expect("the server must not start");
    assert!(
        matches!(
            err.downcast_ref::<ConfigError>(),
            Some(ConfigError::MissingSecret)
        ),
        "unexpected error: {err:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_mode_starts_with_a_secret() {
    let db = TestDatabase::create(Store::from_env()).await;
    let mut settings = settings_for(&db.url, false);
    settings.mode = Mode::Production;
    assert!(
        Application::build_with_clock(settings, Arc::new(SystemClock))
            .await
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_never_loaded_without_the_flag() {
    let db = TestDatabase::create(Store::from_env()).await;
    let app = Application::build_with_clock(settings_for(&db.url, false), Arc::new(SystemClock))
        .await
        .unwrap();
    use sea_orm::{EntityTrait, PaginatorTrait};
    let centers = server::store::entities::service_center::Entity::find()
        .count(&app.db().conn)
        .await
        .unwrap();
    let staff = server::store::entities::staff::Entity::find()
        .count(&app.db().conn)
        .await
        .unwrap();
    assert_eq!((centers, staff), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shipped_calendar_is_seeded_once_and_restarts_change_nothing() {
    let db = Arc::new(TestDatabase::create(Store::from_env()).await);
    let first = scenario_tests::spawn_on(db.clone(), Default::default()).await;
    let audit_after_first = first.audit_count().await;
    let second = scenario_tests::spawn_on(db.clone(), Default::default()).await;
    assert_eq!(second.audit_count().await, audit_after_first);
    assert_eq!(second.count("calendar_year").await, 5);
}
