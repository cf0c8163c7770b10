//! TEI reader.
