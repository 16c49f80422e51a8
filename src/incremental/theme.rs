//! The theme kept between runs: compiled once, and again only when one of
//! its templates or static files changed; with the key pages take from it.

use std::path::Path;
use std::sync::Arc;

use super::fingerprint;
use crate::diagnostic::Diagnostic;
use crate::render::theme::{self, Theme};

/// The theme of the last run, with the key of the files it was compiled
/// from and its own key (its templates: pages rendered with others differ).
#[derive(Default)]
pub(crate) struct ThemeMemo(Option<(u64, u64, Arc<Theme>)>);

impl ThemeMemo {
    /// The site's theme and its key, reusing the kept one when no template
    /// or static file changed.
    pub(crate) fn load(
        &mut self,
        site_root: &Path,
        folder: Option<&Path>,
    ) -> Result<(Arc<Theme>, u64), Vec<Diagnostic>> {
        let gathered = theme::gather(site_root, folder)?;
        let inputs = fingerprint::of(&(&gathered.templates, &gathered.statics, &gathered.origins));
        if let Some((kept, key, theme)) = &self.0
            && *kept == inputs
        {
            return Ok((Arc::clone(theme), *key));
        }
        let key = fingerprint::of(&gathered.templates);
        let theme = Arc::new(theme::compile(gathered)?);
        self.0 = Some((inputs, key, Arc::clone(&theme)));
        Ok((theme, key))
    }
}
