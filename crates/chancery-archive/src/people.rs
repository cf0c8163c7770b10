//! The people directory (see `chancery_people`), kept in the catalog as one zstd-compressed
//! JSON blob under the name `people`, so that it travels with the catalog to every node.

use chancery_people::{Directory, Person};

use crate::{Archive, Result};

/// The catalog directory name the people directory is stored under.
const PEOPLE: &str = "people";

/// How many people a name search counts documents for (and so ranks) at the most.
const RANKED: usize = 100;

impl Archive {
    /// Stores the people directory, replacing the one before.
    pub fn put_people(&self, people: &Directory) -> Result<()> {
        let json = serde_json::to_vec(people)?;
        let data = zstd::bulk::compress(&json, 3)?;
        self.put_directory(PEOPLE, &data)
    }

    /// How many documents involve a person (sender, addressee, named).
    pub fn count_person(&self, id: &str) -> Result<usize> {
        let searcher = self.reader.searcher();
        let term = tantivy::Term::from_field_text(self.fields.person, id);
        Ok(searcher.doc_freq(&term)? as usize)
    }

    /// The people of `directory` named like `query`, at most `limit`, each with the number of
    /// documents here that involve them: those with the most first, otherwise in the
    /// directory's order (exact surname first). At most the first 100 matches are ranked.
    pub fn find_people<'d>(
        &self,
        directory: &'d Directory,
        query: &str,
        limit: usize,
    ) -> Result<Vec<(&'d Person, usize)>> {
        let mut ranked = Vec::new();
        for p in directory.find(query).into_iter().take(RANKED.max(limit)) {
            ranked.push((p, self.count_person(&p.id)?));
        }
        ranked.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        ranked.truncate(limit);
        Ok(ranked)
    }

    /// The people directory, when one was ingested, with the catalog sequence that wrote it.
    pub fn people(&self) -> Result<Option<(Directory, i64)>> {
        let Some(stored) = self.directory(PEOPLE)? else {
            return Ok(None);
        };
        let json = zstd::stream::decode_all(stored.data.as_slice())?;
        Ok(Some((serde_json::from_slice(&json)?, stored.rev)))
    }
}
