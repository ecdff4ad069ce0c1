"""Pure domain objects and rules: no I/O, no Qt, no database."""
