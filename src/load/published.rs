//! A team's published `items.json`, as another charted site reads it: a
//! portfolio (`items:`) or a site naming its neighbours (`neighbours:`).
//! Only the fields those show are read; the file's `schema_version` says
//! which format it is, and a newer one is refused rather than misread.

use serde::Deserialize;

/// The `items.json` format versions this charted reads.
pub(crate) const READS: u32 = 1;

/// What another site reads of `items.json`; every other field is ignored,
/// and fields a version-1 file may lack (older builds) default.
#[derive(Debug, Deserialize)]
pub(crate) struct Published {
    pub schema_version: u32,
    pub figures: Figures,
    #[serde(default)]
    pub warnings: Vec<PublishedWarning>,
    pub items: Vec<PublishedItem>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Figures {
    pub split: SplitFigures,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SplitFigures {
    pub target: Percentages,
    pub actual: Option<Percentages>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
pub(crate) struct Percentages {
    pub immediate: f64,
    pub future: f64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PublishedWarning {
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PublishedItem {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub validation: Option<String>,
    pub rank: Option<usize>,
    pub phase: Option<String>,
    pub effort: Option<f64>,
    pub date: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub users: Option<Vec<String>>,
    #[serde(default)]
    pub participants: Option<Vec<Participant>>,
    #[serde(default)]
    pub team_references: Vec<Reference>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Participant {
    pub team: String,
    pub hours: f64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Reference {
    pub field: String,
    pub team: String,
    pub id: String,
}

/// The items.json in `bytes`, or why it is not one this charted reads.
/// Parsed once; only a file that does not parse is read again, for its
/// version alone, so a newer format is named as such rather than as broken.
pub(crate) fn parse(bytes: &[u8]) -> Result<Published, String> {
    #[derive(Deserialize)]
    struct Version {
        schema_version: u32,
    }
    let newer = |version: u32| format!("its `schema_version` is {version}, newer than the {READS} this charted reads");
    match serde_json::from_slice::<Published>(bytes) {
        Ok(published) if published.schema_version > READS => Err(newer(published.schema_version)),
        Ok(published) => Ok(published),
        Err(e) => match serde_json::from_slice::<Version>(bytes) {
            Ok(v) if v.schema_version > READS => Err(newer(v.schema_version)),
            _ => Err(format!("it is not a charted items.json ({e})")),
        },
    }
}
