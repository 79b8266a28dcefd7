//! Hooks shared by the pages.

pub(crate) mod animation_frame;
