//! The citizen's plain HTML forms — booking an appointment, cancelling or moving it, taking a
//! ticket at the kiosk — so that all of it works on a phone with JavaScript off. Each handler calls
//! the same JSON API handler (same checks, limits and live events) and answers 303: to the result
//! page on success, back to the form with the error's code otherwise. The page turns the code into
//! its own fixed Chinese message; nothing typed is ever echoed from the URL as a message.
//!
//! Typed values sent back in a redirect (so that the citizen need not type them again) are
//! length-checked first: no field of these forms is valid beyond [`MAX_ECHO_CHARS`], and a
//! longer value is left out rather than returned as a huge `Location` header.

use app::api::{
    appointments::{
        AppointmentView, BookingRequest, PhoneQuery, RescheduleRequest, TypedBooking,
        normalize_code,
    },
    cases::TypedLookup,
    client::encode,
    queue::TakeTicket,
};
use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use serde::Deserialize;

use super::{
    appointments,
    auth::{KIOSK_COOKIE, PublicLookup, PublicWrite},
    cases::{self as case_routes, CaseSecret},
    holder::{
        HeldCaseSecret, forget_typed_lookup_cookie, hold_case_cookie, hold_cookie, phone_for,
        redirect_with, release_cookie, typed_comment_cookie, typed_cookie, typed_lookup_cookie,
    },
    queue,
};
use crate::{
    auth::MaybeCaller,
    error::AppError,
    extract::{ApiForm, ApiJson, ApiPath, ApiQuery, TypedForm, text},
    services::{Ctx, kiosks},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/booking/submit", post(submit))
        .route("/booking/lookup", post(lookup))
        .route("/booking/cancel", post(cancel))
        .route("/booking/reschedule", post(reschedule))
        .route("/kiosk/ticket", post(take_ticket))
        .route("/kiosk/register", post(register_kiosk))
        .route("/rate/submit", post(rate))
        .route("/track/lookup", post(track))
}

/// The longest typed value a redirect carries back to the form (names are at most 50
/// characters, phones 20, codes and dates fewer).
pub const MAX_ECHO_CHARS: usize = 100;

/// A query string from pairs; empty values and values too long to be valid are left out.
fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty() && v.chars().count() <= MAX_ECHO_CHARS)
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn to(path: &str, pairs: &[(&str, &str)]) -> Redirect {
    Redirect::to(&format!("{path}?{}", query(pairs)))
}

/// Refusals that mean "choose another time": the citizen goes back to the list of slots.
fn slot_refused(code: &str) -> bool {
    matches!(
        code,
        "slot_full"
            | "booking_closed"
            | "slot_past"
            | "too_far_ahead"
            | "unknown_slot"
            | "slot_of_other_center"
    )
}

#[derive(Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    center: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    slot: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    id_number: String,
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    write: Result<PublicWrite, AppError>,
    TypedForm(f): TypedForm<SubmitForm>,
) -> Response {
    let secure = state.settings.secure_cookies;
    // Every typed value comes back (in a short-lived HttpOnly cookie of the booking pages,
    // never in the address) so the citizen types nothing twice and sees what was refused;
    // without the characters no text may hold, which the page says were in that field.
    let shown = |v: &str| -> String { v.chars().filter(|&c| text::allowed(c, false)).collect() };
    let typed = typed_cookie(
        &TypedBooking {
            name: shown(&f.name),
            phone: shown(&f.phone),
            id_number: shown(&f.id_number),
        },
        secure,
    );
    let back = |error: &str, slot: &str| {
        let to = to(
            "/booking",
            &[
                ("center", &f.center),
                ("item", &f.item),
                // The materials were read before a time could be chosen.
                ("read", "1"),
                ("date", &f.date),
                ("slot", slot),
                ("error", error),
            ],
        );
        redirect_with(to, std::slice::from_ref(&typed))
    };
    let typed_fields = [
        ("name", &f.name),
        ("phone", &f.phone),
        ("id_number", &f.id_number),
    ];
    let unreadable: Vec<String> = typed_fields
        .iter()
        .filter(|(_, v)| !text::clean(v, false))
        .map(|(field, _)| format!("{field}_unreadable"))
        .collect();
    if !unreadable.is_empty() {
        return back(&unreadable.join(","), &f.slot);
    }
    // The page's own fields (center, item, date, slot) are as any form's.
    let own = [&f.center, &f.item, &f.date, &f.slot];
    if own.iter().any(|v| !text::clean(v, false)) {
        return back("control_character", &f.slot);
    }
    let write = match write {
        Ok(w) => w,
        Err(err) => return back(err.code(), &f.slot),
    };
    let Ok(slot_id) = f.slot.trim().parse::<i64>() else {
        return back("unknown_slot", "");
    };
    let request = BookingRequest {
        slot_id,
        item_code: f.item.clone(),
        name: f.name.clone(),
        phone: f.phone.clone(),
        id_number: Some(f.id_number.clone()),
    };
    let booked = |a: &AppointmentView| {
        let held = hold_cookie(&headers, &a.code, &f.phone, secure);
        let to = to("/booking/view", &[("code", &a.code), ("done", "booked")]);
        redirect_with(to, &[held])
    };
    match appointments::book(ctx.clone(), write, ApiJson(request.clone())).await {
        Ok((_, axum::Json(a))) => booked(&a),
        // The same form sent twice: the first post booked, the second shows that booking.
        Err(err) if err.code() == "duplicate_booking" => {
            match crate::services::appointments::resubmitted(&ctx, &request).await {
                Ok(Some(a)) => booked(&a),
                // The ID number's seat, said at the ID number (the page put it at the phone).
                _ if err.field() == Some("id_number") => back("duplicate_id_booking", &f.slot),
                _ => back(&err.codes().join(","), &f.slot),
            }
        }
        Err(err) => {
            let code = err.code().to_string();
            let slot = if slot_refused(&code) {
                ""
            } else {
                f.slot.as_str()
            };
            // Every field refused at once: the page says each at its field.
            back(&err.codes().join(","), slot)
        }
    }
}

/// Where a code form leads: the booking, or the page to move it.
fn code_page(to: &str) -> &'static str {
    if to == "reschedule" {
        "/booking/reschedule"
    } else {
        "/booking/view"
    }
}

#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    to: String,
}

/// A citizen names a booking by code and phone (a post, so the phone is in no address): when the
/// pair matches, this browser holds the booking and the page shows it by its code alone.
async fn lookup(
    State(state): State<AppState>,
    ctx: Ctx,
    lookup: PublicLookup,
    headers: HeaderMap,
    ApiForm(f): ApiForm<LookupForm>,
) -> Response {
    let secure = state.settings.secure_cookies;
    let code = normalize_code(&f.code);
    let page = code_page(&f.to);
    let outcome = appointments::view(
        ctx,
        lookup,
        headers.clone(),
        ApiPath(code.clone()),
        ApiQuery(PhoneQuery {
            phone: f.phone.clone(),
        }),
    )
    .await;
    match outcome {
        Ok(_) => {
            let held = hold_cookie(&headers, &code, &f.phone, secure);
            redirect_with(to(page, &[("code", &code)]), &[held])
        }
        Err(err) => {
            let typed = TypedBooking {
                phone: f.phone.clone(),
                ..TypedBooking::default()
            };
            let back = to(page, &[("code", &code), ("error", err.code())]);
            // The refusal alone: not the booking this browser may have held from before.
            let released = release_cookie(&headers, &code, secure);
            redirect_with(back, &[typed_cookie(&typed, secure), released])
        }
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    slot: String,
}

async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    lookup: PublicLookup,
    headers: HeaderMap,
    write: Result<PublicWrite, AppError>,
    ApiForm(f): ApiForm<CodeForm>,
) -> Redirect {
    let code = normalize_code(&f.code);
    let phone = phone_for(&headers, &code, &f.phone);
    let write = match write {
        Ok(w) => w,
        Err(err) => return to("/booking/view", &[("code", &code), ("error", err.code())]),
    };
    let outcome = appointments::cancel(
        State(state),
        ctx,
        lookup,
        write,
        headers,
        ApiPath(code.clone()),
        ApiQuery(PhoneQuery { phone }),
    )
    .await;
    let (key, value) = match &outcome {
        Ok(_) => ("done", "cancelled"),
        Err(err) => ("error", err.code()),
    };
    to("/booking/view", &[("code", &code), (key, value)])
}

async fn reschedule(
    State(state): State<AppState>,
    ctx: Ctx,
    lookup: PublicLookup,
    headers: HeaderMap,
    write: Result<PublicWrite, AppError>,
    ApiForm(f): ApiForm<CodeForm>,
) -> Redirect {
    let code = normalize_code(&f.code);
    let phone = phone_for(&headers, &code, &f.phone);
    let back = |error: &str| to("/booking/reschedule", &[("code", &code), ("error", error)]);
    let write = match write {
        Ok(w) => w,
        Err(err) => return back(err.code()),
    };
    let Ok(slot_id) = f.slot.trim().parse::<i64>() else {
        return back("unknown_slot");
    };
    let outcome = appointments::reschedule(
        State(state),
        ctx,
        lookup,
        write,
        headers.clone(),
        ApiPath(code.clone()),
        ApiJson(RescheduleRequest { phone, slot_id }),
    )
    .await;
    match outcome {
        Ok(_) => to("/booking/view", &[("code", &code), ("done", "rescheduled")]),
        Err(err) => back(err.code()),
    }
}

#[derive(Deserialize)]
pub struct KioskForm {
    #[serde(default)]
    center: String,
    #[serde(default)]
    queue: String,
    /// The kiosk's idle timeout in seconds, when it was opened with one (`/kiosk?idle=`).
    #[serde(default)]
    idle: String,
}

async fn take_ticket(
    state: State<AppState>,
    ctx: Ctx,
    write: Result<PublicWrite, AppError>,
    ApiForm(f): ApiForm<KioskForm>,
) -> Redirect {
    // The timeout goes on to the next screen only as a number.
    let idle = f.idle.trim().parse::<u16>().ok().map(|s| s.to_string());
    let refused = |code: &str| {
        let mut pairs = vec![("center", f.center.as_str()), ("error", code)];
        if let Some(idle) = &idle {
            pairs.push(("idle", idle.as_str()));
        }
        to("/kiosk", &pairs)
    };
    let write = match write {
        Ok(w) => w,
        Err(err) => return refused(err.code()),
    };
    let (Ok(center_id), Ok(queue_id)) = (f.center.trim().parse(), f.queue.trim().parse()) else {
        return refused("unknown_queue");
    };
    let body = TakeTicket {
        center_id,
        queue_id,
        item_code: None,
    };
    match queue::take_public(state, ctx, write, ApiJson(body)).await {
        Ok((_, axum::Json(t))) => match &idle {
            Some(idle) => Redirect::to(&format!("/kiosk/ticket/{}?idle={idle}", t.id)),
            None => Redirect::to(&format!("/kiosk/ticket/{}", t.id)),
        },
        Err(err) => refused(err.code()),
    }
}

#[derive(Deserialize)]
pub struct KioskTokenForm {
    #[serde(default)]
    token: String,
}

/// Sets this browser up as a registered kiosk: the device token an administrator got at
/// registration goes into a long-lived cookie, and the kiosk opens on its center.
async fn register_kiosk(
    State(state): State<AppState>,
    ctx: Ctx,
    _: PublicLookup,
    ApiForm(f): ApiForm<KioskTokenForm>,
) -> Response {
    let token = f.token.trim();
    match kiosks::recognise(&ctx, token).await {
        Ok(Some(center)) => {
            let secure = if state.settings.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{KIOSK_COOKIE}={token}; Path=/; Max-Age=315360000; HttpOnly; \
                    SameSite=Strict{secure}"
            );
            let mut response = to("/kiosk", &[("center", &center.to_string())]).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Ok(None) => to("/kiosk", &[("error", "unknown_kiosk")]).into_response(),
        Err(err) => to("/kiosk", &[("error", err.code())]).into_response(),
    }
}

/// 好差评 without JavaScript (`/rate/<code>`'s form): the overall level (`level`), each other
/// indicator as `i_<indicator>` (may be left empty) and a comment. Through the JSON handler
/// (same checks and limits), then back to the code's page: it thanks for a rating given, or
/// shows its own message for the refusal's code at the form.
async fn rate(
    State(state): State<AppState>,
    ctx: Ctx,
    limit: Result<PublicLookup, AppError>,
    staff: MaybeCaller,
    ApiForm(f): ApiForm<std::collections::HashMap<String, String>>,
) -> Response {
    let typed = f.get("code").map_or("", |c| c.trim());
    let Ok(code) = rules::supervision::RatingCode::parse(typed) else {
        // The entry page checks a typed code itself and says what is wrong with it.
        return to("/rate", &[("code", typed)]).into_response();
    };
    let secure = state.settings.secure_cookies;
    let page = format!("/rate/{}", code.as_str());
    // What was chosen and typed goes back with the refusal, so nothing need be given again
    // (codes of levels only, and the comment: no personal data).
    let mut kept: Vec<(&str, &str)> = f
        .iter()
        .filter(|(k, _)| k.as_str() == "level" || k.starts_with("i_"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    kept.sort();
    // The comment comes back in a short-lived cookie of the rating pages, never in the address
    // (a complaint's text had gone into the browser's history).
    let typed_comment = typed_comment_cookie(f.get("comment").map_or("", |c| c.as_str()), secure);
    let refused = |error: &str| {
        let mut pairs = kept.clone();
        pairs.push(("error", error));
        let url = format!("{page}?{}", query(&pairs));
        redirect_with(Redirect::to(&url), std::slice::from_ref(&typed_comment))
    };
    let limit = match limit {
        Ok(l) => l,
        Err(err) => return refused(err.code()),
    };
    let level = |v: &str| rules::supervision::RatingLevel::from_code(v.trim());
    let Some(overall) = f.get("level").and_then(|v| level(v)) else {
        return refused("level_required");
    };
    let mut indicators = Vec::new();
    for (name, value) in &f {
        let Some(indicator) = name.strip_prefix("i_") else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        match (
            rules::supervision::RatingIndicator::from_code(indicator),
            level(value),
        ) {
            (Some(i), Some(l)) => indicators.push((i, l)),
            _ => return refused("invalid_indicator"),
        }
    }
    let comment = f.get("comment").map(|c| c.trim()).filter(|c| !c.is_empty());
    let body = app::api::supervision::NewRating {
        level: overall,
        indicators,
        comment: comment.map(str::to_string),
    };
    match super::supervision::rate(
        ctx,
        limit,
        staff,
        ApiPath(code.as_str().to_string()),
        ApiJson(body),
    )
    .await
    {
        // The page thanks the citizen for this rating rather than saying it was given before.
        Ok(_) => Redirect::to(&format!("{page}?rated=1")).into_response(),
        Err(err) => refused(err.code()),
    }
}

#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
}

/// 办件查询 (`/track`'s form): the case number and the phone given at receipt or the 查询码 —
/// a post, so that the phone is in no address. Through the JSON handler (same checks and
/// limits). When the pair opens the case, this browser holds it and `/track` shows it by its
/// number alone; otherwise `/track` gets the refusal's code, and what was typed comes back in a
/// one-minute cookie. The phone wins when both are typed.
async fn track(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    limit: Result<PublicLookup, AppError>,
    ApiForm(f): ApiForm<TrackForm>,
) -> Response {
    let secure = state.settings.secure_cookies;
    let number = f.number.trim().to_string();
    let (phone, code) = (f.phone.trim(), f.code.trim());
    let typed = TypedLookup {
        phone: phone.to_string(),
        code: code.to_string(),
        number: number.clone(),
    };
    // Nothing typed goes into the address: a phone typed into the number box would.
    let refused = |error: &str| {
        let back = to("/track", &[("error", error)]);
        redirect_with(back, &[typed_lookup_cookie(&typed, secure)])
    };
    let limit = match limit {
        Ok(l) => l,
        Err(err) => return refused(err.code()),
    };
    if number.is_empty() {
        return refused("number_required");
    }
    let (secret, held) = match (phone.is_empty(), code.is_empty()) {
        (true, true) => return refused("required"),
        (false, _) => (
            CaseSecret::phone(phone),
            HeldCaseSecret::Phone(phone.to_string()),
        ),
        (true, false) => (
            CaseSecret::code(code),
            HeldCaseSecret::Code(code.to_string()),
        ),
    };
    let outcome = case_routes::public_status(
        ctx,
        State(state.clone()),
        limit,
        ApiPath(number.clone()),
        HeaderMap::new(),
        ApiQuery(secret),
    )
    .await;
    match outcome {
        Ok(axum::Json(status)) => {
            let key = &state.holder_key;
            let held = hold_case_cookie(&headers, &status.number, &held, key, secure);
            let forget = forget_typed_lookup_cookie(secure);
            redirect_with(to("/track", &[("number", &status.number)]), &[held, forget])
        }
        Err(err) => refused(err.code()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_left_out_of_the_query_and_the_rest_is_encoded() {
        assert_eq!(
            query(&[("a", "1"), ("b", ""), ("name", "张 三")]),
            "a=1&name=%E5%BC%A0%20%E4%B8%89"
        );
    }

    #[test]
    fn a_value_too_long_to_be_valid_is_not_sent_back() {
        let long = "名".repeat(MAX_ECHO_CHARS + 1);
        assert_eq!(query(&[("a", "1"), ("name", &long)]), "a=1");
    }

    #[test]
    fn a_full_or_closed_slot_sends_the_citizen_back_to_choose_a_time() {
        assert!(slot_refused("slot_full"));
        assert!(slot_refused("booking_closed"));
        assert!(!slot_refused("invalid_phone"));
        assert!(!slot_refused("duplicate_booking"));
    }
}
