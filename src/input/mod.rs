pub mod awscli;
pub mod findings;
pub mod load;
pub mod shell;
pub mod trust;
