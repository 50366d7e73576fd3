pub mod awscli;
pub mod load;
pub mod shell;
