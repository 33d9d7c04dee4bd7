//! QR codes drawn on the server as inline SVG: the booking page on a closed hall's kiosk and
//! display, the rating page on a served ticket's slip and a delivered case's notice. Nothing is
//! fetched at run time; the phone that scans the code opens the address it holds.

use qrcode::{EcLevel, QrCode, render::svg};

/// The QR code of `url` as a standalone SVG element (no XML declaration), black on white.
pub fn svg(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Inline in HTML: without the XML declaration.
    let start = image.find("<svg")?;
    Some(image[start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_an_inline_svg_image() {
        let svg = svg("https://hall.example.gov.cn/booking?center=1").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn different_addresses_draw_different_codes() {
        assert_ne!(
            svg("https://hall.example/rate/ABCDEFGHJK"),
            svg("https://hall.example/rate/ABCDEFGHJM")
        );
    }
}
