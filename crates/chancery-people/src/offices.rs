//! Offices as FRUS headings give them (`Chargé in the Soviet Union`, `Secretary of State`)
//! and the pocom territories and positions they stand for.

use crate::names::fold;

/// An office understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Office {
    /// A principal officer of the Department: the pocom position ids of that name.
    Principal {
        /// Position ids (`secretary`).
        positions: Vec<String>,
        /// `Acting …`: someone standing in, not the holder.
        acting: bool,
    },
    /// A chief of mission or chargé in a country.
    Mission {
        /// The pocom territory ids the country name can mean (`russia`).
        territories: Vec<String>,
        /// The title as written, folded (`charge`, `ambassador`, `minister`).
        title: String,
    },
}

impl Office {
    /// Whether a holder with this pocom role title can be meant by the office alone, without
    /// a surname: an ambassador by `Ambassador`, a minister or envoy by `Minister`; a chargé
    /// (most are ad interim, not in pocom) or an acting officer never.
    pub fn title_fits(&self, role_title: &str) -> bool {
        match self {
            Office::Principal { acting, .. } => !acting,
            Office::Mission { title, .. } => {
                let role = fold(role_title);
                match title.as_str() {
                    "ambassador" => role.contains("ambassador"),
                    "minister" => role.contains("minister") || role.contains("envoy"),
                    "minister resident" => role.contains("minister resident"),
                    _ => false,
                }
            }
        }
    }
}

/// Country names as FRUS headings write them that are not the pocom territory id spelled out,
/// with the territory files they can mean (the holder on the date decides between several).
const ALIASES: &[(&str, &[&str])] = &[
    ("soviet union", &["russia"]),
    ("union of soviet socialist republics", &["russia"]),
    ("ussr", &["russia"]),
    ("great britain", &["united-kingdom"]),
    ("england", &["united-kingdom"]),
    ("persia", &["iran"]),
    ("siam", &["thailand"]),
    ("abyssinia", &["ethiopia"]),
    ("union of south africa", &["south-africa"]),
    ("irish free state", &["ireland"]),
    ("vatican", &["holy-see"]),
    ("yugoslavia", &["serbia", "yugoslavia"]),
    ("kingdom of the serbs croats and slovenes", &["serbia"]),
    ("ceylon", &["sri-lanka"]),
    ("vietnam", &["vietnam-south", "vietnam"]),
    ("viet nam", &["vietnam-south", "vietnam"]),
    ("south vietnam", &["vietnam-south"]),
    ("republic of vietnam", &["vietnam-south"]),
    ("federal republic of germany", &["germany"]),
    ("west germany", &["germany"]),
    ("east germany", &["german-democratic-republic"]),
    ("republic of china", &["china"]),
    ("people s republic of china", &["china"]),
    ("republic of korea", &["korea"]),
    ("congo", &["congo-democratic-republic", "congo-republic"]),
    ("zaire", &["congo-democratic-republic"]),
    ("dahomey", &["benin"]),
    ("upper volta", &["burkina-faso"]),
    ("malagasy republic", &["madagascar"]),
    ("ivory coast", &["cote-divoire"]),
    ("tanganyika", &["tanzania"]),
    ("khmer republic", &["cambodia"]),
    ("kampuchea", &["cambodia"]),
    ("united arab republic", &["egypt", "syria"]),
    ("hashemite kingdom of jordan", &["jordan"]),
    ("transjordan", &["jordan"]),
    ("burma", &["burma"]),
    ("myanmar", &["burma"]),
    ("czech republic", &["czech-republic"]),
    ("two sicilies", &["two-sicilies"]),
];

/// The pocom territory files a country name can mean, given the territory ids that exist:
/// the alias table first, else the name folded and hyphenated (`Saudi Arabia` →
/// `saudi-arabia`) when such a territory exists. A leading `the` is ignored.
pub fn country_territories(name: &str, exists: impl Fn(&str) -> bool) -> Vec<String> {
    let f = fold(name);
    let f = f.strip_prefix("the ").unwrap_or(&f);
    if let Some((_, ids)) = ALIASES.iter().find(|(k, _)| *k == f) {
        return ids
            .iter()
            .filter(|id| exists(id))
            .map(|s| s.to_string())
            .collect();
    }
    let id = f.replace(' ', "-");
    if exists(&id) {
        vec![id]
    } else {
        Vec::new()
    }
}

/// The country names FRUS writes that are not a pocom territory id spelled out, with the
/// territory ids they can mean.
pub fn aliases() -> &'static [(&'static str, &'static [&'static str])] {
    ALIASES
}

/// Whether a folded text (padded with spaces) names the territory: its id spelled out
/// (`saudi arabia`) or one of its aliases (`persia` for `iran`).
pub fn named_in(territory: &str, folded: &str) -> bool {
    let spelled = format!(" {} ", territory.replace('-', " "));
    folded.contains(&spelled)
        || ALIASES
            .iter()
            .any(|(k, ids)| ids.contains(&territory) && folded.contains(&format!(" {k} ")))
}

/// Understands an office: a principal position by its pocom name (`Secretary of State`,
/// `Under Secretary of State`, optionally `Acting`), or `<title> in <country>` for a mission.
pub fn parse(
    office: &str,
    positions: &[(String, String)],
    exists: impl Fn(&str) -> bool,
) -> Option<Office> {
    let f = fold(office);
    let f = f.strip_prefix("the ").unwrap_or(&f);
    let (acting, bare) = match f.strip_prefix("acting ") {
        Some(rest) => (true, rest),
        None => (false, f),
    };
    let ids: Vec<String> = positions
        .iter()
        .filter(|(name, _)| name == bare)
        .map(|(_, id)| id.clone())
        .collect();
    if !ids.is_empty() {
        return Some(Office::Principal {
            positions: ids,
            acting,
        });
    }
    // `Chargé in the Soviet Union`: split at the last ` in ` (office words never contain it).
    let (title, country) = office.rsplit_once(" in ")?;
    let title = fold(title);
    let title = title.strip_prefix("the ").unwrap_or(&title);
    let title = title.strip_prefix("american ").unwrap_or(title).to_string();
    let known = [
        "ambassador",
        "minister",
        "minister resident",
        "minister resident and consul general",
        "diplomatic agent",
        "diplomatic agent and consul general",
        "agent and consul general",
        "high commissioner",
        "commissioner",
        "acting ambassador",
    ];
    if !title.starts_with("charge") && !known.contains(&title.as_str()) {
        return None;
    }
    let title = if title.starts_with("charge") || title.starts_with("acting") {
        "charge".to_string()
    } else if title == "minister resident and consul general" {
        "minister resident".to_string()
    } else {
        title
    };
    let territories = country_territories(country, exists);
    (!territories.is_empty()).then_some(Office::Mission { territories, title })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exists(id: &str) -> bool {
        [
            "russia",
            "united-kingdom",
            "egypt",
            "iran",
            "saudi-arabia",
            "serbia",
            "yugoslavia",
            "iraq",
        ]
        .contains(&id)
    }

    #[test]
    fn offices() {
        let positions = vec![
            ("secretary of state".to_string(), "secretary".to_string()),
            (
                "under secretary of state".to_string(),
                "under-secretary".to_string(),
            ),
        ];
        let p = |s: &str| parse(s, &positions, exists);
        assert_eq!(
            p("Chargé in the Soviet Union"),
            Some(Office::Mission {
                territories: vec!["russia".into()],
                title: "charge".into()
            })
        );
        assert_eq!(
            p("Ambassador in Great Britain"),
            Some(Office::Mission {
                territories: vec!["united-kingdom".into()],
                title: "ambassador".into()
            })
        );
        assert_eq!(
            p("Minister in Persia"),
            Some(Office::Mission {
                territories: vec!["iran".into()],
                title: "minister".into()
            })
        );
        assert_eq!(
            p("Chargé d’Affaires ad interim in Saudi Arabia"),
            Some(Office::Mission {
                territories: vec!["saudi-arabia".into()],
                title: "charge".into()
            })
        );
        assert_eq!(
            p("Acting Secretary of State"),
            Some(Office::Principal {
                positions: vec!["secretary".into()],
                acting: true
            })
        );
        assert_eq!(p("Consul General at Jerusalem"), None);
        assert!(p("American Minister Resident in Iraq").is_some());
        assert_eq!(p("British Ambassador"), None);
        assert_eq!(p("Minister in Atlantis"), None);
        let m = p("Minister in Yugoslavia").unwrap();
        assert!(m.title_fits("Envoy Extraordinary and Minister Plenipotentiary"));
        assert!(!m.title_fits("Ambassador Extraordinary and Plenipotentiary"));
        assert!(!p("Chargé in Egypt")
            .unwrap()
            .title_fits("Chargé d'Affaires"));
        assert!(named_in("iran", " the minister in persia "));
        assert!(named_in("saudi-arabia", " saudi arabia "));
        assert!(!named_in("iran", " iranian affairs "));
    }
}
