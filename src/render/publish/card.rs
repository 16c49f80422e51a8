//! The link-preview card: the image every page names in `og:image`.

use super::Site;
use crate::diagnostic::Diagnostic;

/// The theme's own link-preview image, and what it shows.
const DEFAULT_CARD: (&str, &str) = ("card.png", "The word charted beside a rising bar chart");

/// The link-preview image of every page (`og:image`): `card_image`, else the
/// theme's `card.png` (which a site's `static/card.png` replaces). `None`
/// without a host: `og:image` must be an absolute URL. An error when
/// `card_image` names no file of the output.
pub fn card(site: &Site, statics: &[(String, Vec<u8>)]) -> Result<Option<tera::Value>, Diagnostic> {
    let config = &site.config;
    let path = config.card_image.as_deref().unwrap_or(DEFAULT_CARD.0);
    let Some((_, bytes)) = statics.iter().find(|(name, _)| name == path) else {
        if config.card_image.is_none() {
            return Ok(None);
        }
        return Err(Diagnostic::error(
            "missing-card-image",
            format!("`card_image` in charted.yaml is `{path}`, which is not a file of the output"),
        )
        .help(format!("put the image at `static/{path}` (or the theme's `static/`), or remove `card_image`")));
    };
    if !config.has_host() {
        return Ok(None);
    }
    // The theme's own card shows charted's name; a site's own says something of the site.
    let ours = theme_default_card().is_some_and(|d| d == bytes.as_slice());
    let alt = if ours { DEFAULT_CARD.1 } else { config.title.as_str() };
    let size = png_size(bytes);
    Ok(Some(
        super::view::Obj::default()
            .set("url", format!("{}{path}", config.base_url))
            .set("alt", alt)
            .set("width", size.map(|s| s.0))
            .set("height", size.map(|s| s.1))
            .value(),
    ))
}

/// The bytes of the built-in theme's `card.png`.
fn theme_default_card() -> Option<&'static [u8]> {
    super::theme::default_static(DEFAULT_CARD.0)
}

/// The width and height of a PNG image, from its header; `None` for another format.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let header = bytes.get(..24)?;
    if &header[..8] != b"\x89PNG\r\n\x1a\n" || &header[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    Some((number(16), number(20)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_sizes_are_read_from_png_headers() {
        let card = super::super::theme::default_static("card.png").unwrap();
        assert_eq!(png_size(card), Some((1200, 630)));
        assert!(card.len() < 60_000, "the default card is small: {} bytes", card.len());
        assert_eq!(png_size(b"GIF89a........................"), None);
        assert_eq!(png_size(b"\x89PNG"), None);
    }
}
