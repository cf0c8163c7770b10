//! Archive.
