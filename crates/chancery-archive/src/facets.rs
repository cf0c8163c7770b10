//! Facet counting over string fast fields: per segment, count term ordinals in an array; at the
//! end, turn only the ordinals that occurred into strings, in one sorted pass per dictionary.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

/// Counts values of string fast fields (and years of the `date_min` column) over all matches.
pub(crate) struct FacetCounter {
    /// Names of the string fast fields to count.
    pub fields: Vec<&'static str>,
}

/// Counts by value, one map per field, then one for years.
pub(crate) type FacetFruit = Vec<HashMap<String, u64>>;

pub(crate) struct SegmentCounter {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
    dates: Column<i64>,
    years: HashMap<i64, u64>,
}

impl Collector for FacetCounter {
    type Fruit = FacetFruit;
    type Child = SegmentCounter;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentCounter> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(self.fields.len());
        let mut counts = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            let col = fast.str(f)?;
            counts.push(vec![0u32; col.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(col);
        }
        Ok(SegmentCounter {
            columns,
            counts,
            dates: fast.i64("date_min")?,
            years: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut out: FacetFruit = vec![HashMap::new(); self.fields.len() + 1];
        for fruit in fruits {
            for (acc, part) in out.iter_mut().zip(fruit) {
                for (k, n) in part {
                    *acc.entry(k).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentCounter {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (col, counts) in self.columns.iter().zip(&mut self.counts) {
            if let Some(col) = col {
                for ord in col.ords().values_for_doc(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
        if let Some(d) = self.dates.first(doc) {
            *self.years.entry(d / 10_000).or_default() += 1;
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut out = Vec::with_capacity(self.columns.len() + 1);
        for (col, counts) in self.columns.iter().zip(&self.counts) {
            let mut map = HashMap::new();
            if let Some(col) = col {
                let ords: Vec<u64> = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &n)| n > 0)
                    .map(|(i, _)| i as u64)
                    .collect();
                let mut it = ords.iter();
                let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(&ord) = it.next() {
                        map.insert(
                            String::from_utf8_lossy(bytes).into_owned(),
                            u64::from(counts[ord as usize]),
                        );
                    }
                });
            }
            out.push(map);
        }
        out.push(
            self.years
                .into_iter()
                .map(|(y, n)| (format!("{y:04}"), n))
                .collect(),
        );
        out
    }
}
