pub mod awscli;
pub mod findings;
pub mod kind;
pub mod load;
pub mod shell;
pub mod trust;
