pub mod baseline;
pub mod formats;
pub mod inspect;
pub mod render;
pub mod report;

pub use report::Report;
